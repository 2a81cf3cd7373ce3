package io.faro.topology.embed;

import io.faro.core.embed.Embedder;
import io.faro.core.embed.Embedder.Outcome;
import io.faro.core.embed.EmbeddingException;
import io.faro.core.json.JsonSerde;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.topology.buffer.BatchBuffer;
import io.faro.topology.dlq.DeadLetterCounter;
import io.faro.topology.dlq.DeadLetterReason;
import io.faro.topology.dlq.DeadLetters;
import io.faro.topology.runtime.Backpressure;
import io.faro.topology.runtime.WorkPunctuation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds chunks in batches and passes deletions on in order with them. Pending work waits in a
 * changelogged buffer until a full batch is there, or until the linger time passes, so the model sees
 * several texts per call whenever several are waiting. A chunk whose text and model are unchanged since
 * its last embedding reuses that vector instead of calling the model (which matters with paid APIs).
 * A text the model refuses for good is dead-lettered alone, with the model's reason.
 *
 * <p>A hosted model answers after a network round trip, so several batches are under way at once
 * ({@link Embedder#batchesInFlight()}), and the stream thread never waits for one: it goes on taking in
 * records and forwards each batch's results, in the order the batches were sent, as they come. Entries
 * leave the buffer only once forwarded, so a crash or a rebalance loses nothing: the new owner embeds again
 * what was under way. When every batch is under way and another is waiting, the processor holds the
 * application's {@link Backpressure} until the oldest batch is back, instead of blocking: a blocked stream
 * thread would keep its transaction open and miss its poll interval while the model is slow or limited.
 * An in-process model does the same with fewer batches (two: one embedding, the next gathered behind it), so
 * that the model is not idle while the stream thread forwards a batch and parses and splits the next.
 */
public final class EmbedBatchProcessor implements Processor<String, PendingChunk, Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(EmbedBatchProcessor.class);
    private static final JsonSerde<Chunk> CHUNK_SERDE = JsonSerde.of(Chunk.class);

    /** Where the processor keeps its work and its vectors, and where it sends what it makes. */
    public record Wiring(String bufferStore, String cacheStore, String embeddingsChild, String dlqChild) {
    }

    /** A batch sent to the model: its entries in order, which of them the model embeds, and the answer. */
    private record Flight(List<KeyValue<String, PendingChunk>> entries, List<Decision> decisions,
                          CompletableFuture<List<Outcome>> outcomes, long startNanos,
                          CompletableFuture<Long> answeredNanos) {
    }

    /** What to forward for one entry once its batch is back. */
    private sealed interface Decision permits Delete, Reuse, Embed {
    }

    private record Delete() implements Decision {
    }

    private record Reuse(float[] vector) implements Decision {
    }

    /** The entry's text is the {@code index}-th the model was sent. */
    private record Embed(int index) implements Decision {
    }

    /** How often a processor with batches under way looks for those that are back. */
    static final Duration FOLLOW_UP = Duration.ofMillis(5);

    private final Embedder embedder;
    private final Wiring wiring;
    private final int batchSize;
    private final int maxFlights;
    private final Duration linger;
    private final Backpressure backpressure;
    private final Timer batchTimer;
    private final DistributionSummary batchSizes;
    private final Counter reused;
    private final Counter embeddings;
    private final ModelBusyTime busy;
    private final DeadLetterCounter deadLetters;
    private final ArrayDeque<Flight> flights = new ArrayDeque<>();
    /** The value of each entry under way, so that it is not sent twice, while a newer value of it may be. */
    private final Map<String, PendingChunk> underWay = new HashMap<>();
    private ProcessorContext<Object, Object> context;
    private BatchBuffer<PendingChunk> buffer;
    private KeyValueStore<String, CachedVector> cache;
    /** Sends a partial batch that has waited long enough; runs while entries wait. */
    private WorkPunctuation lingering;
    /** Forwards batches that are back, and sends the next; runs while batches are under way. */
    private WorkPunctuation followingUp;
    /** Entries in the buffer whose value is not under way: those the next batch may take. */
    private long waiting;
    /** When the oldest of the waiting entries came (about), or -1 when nothing waits or it is not known. */
    private long waitingSinceMs = -1;

    public EmbedBatchProcessor(Embedder embedder, Wiring wiring, int batchSize, Duration linger, MeterRegistry meters) {
        this(embedder, wiring, batchSize, linger, new Backpressure(), new ModelBusyTime(meters, embedder.model()),
                meters);
    }

    /** {@code busy}: the model's busy time, one for every task of the application. */
    public EmbedBatchProcessor(Embedder embedder, Wiring wiring, int batchSize, Duration linger,
                               Backpressure backpressure, ModelBusyTime busy, MeterRegistry meters) {
        this.embedder = embedder;
        this.wiring = wiring;
        this.batchSize = batchSize;
        this.maxFlights = Math.max(1, embedder.batchesInFlight());
        this.linger = linger;
        this.backpressure = backpressure;
        this.batchTimer = Timer.builder(MetricNames.EMBED_BATCH_SECONDS).tag(MetricNames.TAG_MODEL, embedder.model())
                .publishPercentileHistogram().register(meters);
        this.batchSizes = DistributionSummary.builder(MetricNames.EMBED_BATCH_SIZE)
                .tag(MetricNames.TAG_MODEL, embedder.model()).publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue((double) batchSize).register(meters);
        this.reused = meters.counter(MetricNames.EMBEDDINGS_REUSED, MetricNames.TAG_MODEL, embedder.model());
        this.embeddings = meters.counter(MetricNames.EMBEDDINGS, MetricNames.TAG_MODEL, embedder.model());
        this.busy = busy;
        this.deadLetters = new DeadLetterCounter(meters).expect(DeadLetters.STAGE_EMBED, DeadLetterReason.MODEL_REFUSED);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.buffer = new BatchBuffer<>(context.getStateStore(wiring.bufferStore()));
        this.cache = context.getStateStore(wiring.cacheStore());
        this.waiting = buffer.size();
        this.lingering = new WorkPunctuation(context, linger, now -> {
            lingered(now);
            return waiting > 0;
        });
        // a batch back is forwarded, and the next sent, within this, even while no record comes in
        this.followingUp = new WorkPunctuation(context, FOLLOW_UP, now -> {
            pump(false);
            return !flights.isEmpty();
        });
        expectWork();
    }

    /** The punctuations this processor's work needs now; none while it has none. */
    private void expectWork() {
        if (waiting > 0) {
            lingering.expect();
        }
        if (!flights.isEmpty()) {
            followingUp.expect();
        }
    }

    @Override
    public void process(Record<String, PendingChunk> record) {
        if (waiting == 0) {
            waitingSinceMs = context.currentSystemTimeMs();
        }
        PendingChunk before = buffer.get(record.key());
        PendingChunk sent = underWay.get(record.key());
        // new, or a newer value of one under way; a newer value of one waiting only replaces it
        if (before == null || (before.equals(sent) && !record.value().equals(sent))) {
            waiting++;
        }
        buffer.put(record.key(), record.value());
        pump(false);
    }

    /**
     * Sends a partial batch once its oldest entry has waited the linger time, and forwards what came back. A
     * punctuation that merely falls due (as one does after every batch the model takes longer than the linger
     * time over) must not send the few entries that came since: the model, which embeds a batch's texts in
     * parallel, would run them on fewer threads than it has, at a fraction of its speed.
     */
    private void lingered(long nowMs) {
        pump(waiting > 0 && (waitingSinceMs < 0 || nowMs - waitingSinceMs >= linger.toMillis()));
    }

    /** Forwards the batches that are back, sends what is ready while there is room, and holds off the rest. */
    private void pump(boolean lingerDue) {
        forwardCompleted();
        while (flights.size() < maxFlights && (waiting >= batchSize || (lingerDue && waiting > 0))) {
            List<KeyValue<String, PendingChunk>> batch = buffer.peek(batchSize,
                    entry -> !entry.value.equals(underWay.get(entry.key)));
            waiting -= batch.size();
            send(batch);
            // what is left came while the batch was sent: it starts waiting now
            waitingSinceMs = waiting == 0 ? -1 : context.currentSystemTimeMs();
            lingerDue = false;
            forwardCompleted();
        }
        // a round of batches may wait while every batch is under way, so that each one back is followed at once
        if (flights.size() >= maxFlights && waiting >= (long) batchSize * maxFlights) {
            holdUntilTheOldestIsBack();
        } else {
            backpressure.release(this);
        }
        expectWork();
    }

    private void holdUntilTheOldestIsBack() {
        backpressure.hold(this);
        // registered after the hold: if the batch is back already, this releases at once
        flights.getFirst().outcomes().whenComplete((outcomes, failure) -> backpressure.release(this));
    }

    private void send(List<KeyValue<String, PendingChunk>> batch) {
        List<Decision> decisions = new ArrayList<>(batch.size());
        List<String> texts = new ArrayList<>();
        for (KeyValue<String, PendingChunk> entry : batch) {
            underWay.put(entry.key, entry.value);
            Optional<Chunk> chunk = entry.value.content();
            if (chunk.isEmpty()) {
                decisions.add(new Delete());
                continue;
            }
            CachedVector cached = cache.get(entry.key);
            if (cached != null && cached.fits(chunk.get().contextText(), embedder.model())) {
                decisions.add(new Reuse(cached.vector()));
            } else {
                decisions.add(new Embed(texts.size()));
                texts.add(chunk.get().contextText());
            }
        }
        long start = System.nanoTime();
        if (!texts.isEmpty()) {
            busy.started(start);
        }
        CompletableFuture<List<Outcome>> outcomes = texts.isEmpty() ? CompletableFuture.completedFuture(List.of())
                : embed(texts);
        flights.addLast(new Flight(batch, decisions, outcomes, start, outcomes.handle((answer, failure) -> {
            long answered = System.nanoTime();
            if (!texts.isEmpty()) {
                busy.ended(answered);
            }
            return answered;
        })));
    }

    private CompletableFuture<List<Outcome>> embed(List<String> texts) {
        try {
            return embedder.embedAsync(texts);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Forwards the batches that are back, oldest first, stopping at the first still under way. */
    private void forwardCompleted() {
        while (!flights.isEmpty() && flights.getFirst().outcomes().isDone()) {
            forward(flights.removeFirst());
        }
    }

    private void forward(Flight flight) {
        long now = context.currentSystemTimeMs();
        List<Outcome> outcomes = outcomesOf(flight);
        long embedded = flight.decisions().stream().filter(Embed.class::isInstance).count();
        if (embedded > 0) {
            long answered = flight.answeredNanos().join();
            batchTimer.record(Duration.ofNanos(answered - flight.startNanos()));
            batchSizes.record(embedded);
        }
        for (int i = 0; i < flight.entries().size(); i++) {
            KeyValue<String, PendingChunk> entry = flight.entries().get(i);
            // Every record keeps its document's timestamp, so that a sink can tell how fresh its write is.
            long timestamp = entry.value.publishedAtOr(now);
            switch (flight.decisions().get(i)) {
                case Delete delete -> {
                    cache.delete(entry.key);
                    context.forward(new Record<>(entry.key, null, timestamp), wiring.embeddingsChild());
                }
                case Reuse reuse -> {
                    reused.increment();
                    forward(entry.value.content().orElseThrow(), reuse.vector(), timestamp);
                }
                case Embed embed -> {
                    Chunk chunk = entry.value.content().orElseThrow();
                    Outcome outcome = outcomes.get(embed.index());
                    if (outcome.isRefused()) {
                        deadLetter(chunk, outcome.refusal(), timestamp);
                    } else {
                        remember(chunk, outcome.vector());
                        forward(chunk, outcome.vector(), timestamp);
                    }
                }
            }
            underWay.remove(entry.key, entry.value);
        }
        buffer.removeHandled(flight.entries());
    }

    /**
     * The batch's outcomes. A model that failed the whole batch (an in-process model out of memory, say) is
     * asked for each text alone, on this thread, so that only the texts it still refuses are dead-lettered.
     */
    private List<Outcome> outcomesOf(Flight flight) {
        try {
            return flight.outcomes().join();
        } catch (RuntimeException batchFailed) {
            LOG.warn("embedding a batch of {} failed ({}); retrying one by one", flight.entries().size(),
                    batchFailed.getMessage());
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < flight.entries().size(); i++) {
                if (flight.decisions().get(i) instanceof Embed) {
                    texts.add(flight.entries().get(i).value.content().orElseThrow().contextText());
                }
            }
            return embedder.eachAlone(texts);
        }
    }

    private void deadLetter(Chunk chunk, String reason, long timestamp) {
        LOG.warn("chunk {} cannot be embedded, sent to the dead-letter topic: {}", chunk.chunkId(), reason);
        deadLetters.count(DeadLetters.STAGE_EMBED, DeadLetterReason.MODEL_REFUSED);
        context.forward(new Record<Object, Object>(chunk.chunkId().getBytes(StandardCharsets.UTF_8),
                CHUNK_SERDE.serializer().serialize(null, chunk), timestamp,
                DeadLetters.headers(DeadLetters.STAGE_EMBED, new EmbeddingException(reason, null), Optional.empty())),
                wiring.dlqChild());
    }

    private void remember(Chunk chunk, float[] vector) {
        cache.put(chunk.chunkId(), new CachedVector(CachedVector.hash(chunk.contextText()), embedder.model(), vector));
    }

    private void forward(Chunk chunk, float[] vector, long timestamp) {
        EmbeddedChunk embedded = new EmbeddedChunk(chunk, embedder.model(), embedder.dimension(), vector);
        embeddings.increment();
        context.forward(new Record<Object, Object>(chunk.chunkId(), embedded, timestamp), wiring.embeddingsChild());
    }

    /** What is under way is dropped: its entries stay in the buffer, for whoever owns this task next. */
    @Override
    public void close() {
        flights.forEach(flight -> flight.outcomes().cancel(true));
        flights.clear();
        underWay.clear();
        waiting = buffer.size();
        backpressure.release(this);
    }
}
