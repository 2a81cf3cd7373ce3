package io.faro.topology.embed;

import io.faro.core.embed.Embedder;
import io.faro.core.json.JsonSerde;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.topology.buffer.BatchBuffer;
import io.faro.topology.dlq.DeadLetterCounter;
import io.faro.topology.dlq.DeadLetterReason;
import io.faro.topology.dlq.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
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
 * A batch the model refuses is retried text by text, and only the texts it still refuses are dead-lettered.
 */
public final class EmbedBatchProcessor implements Processor<String, PendingChunk, Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(EmbedBatchProcessor.class);
    private static final JsonSerde<Chunk> CHUNK_SERDE = JsonSerde.of(Chunk.class);

    /** Where the processor keeps its work and its vectors, and where it sends what it makes. */
    public record Wiring(String bufferStore, String cacheStore, String embeddingsChild, String dlqChild) {
    }

    private final Embedder embedder;
    private final Wiring wiring;
    private final int batchSize;
    private final Duration linger;
    private final Timer batchTimer;
    private final DistributionSummary batchSizes;
    private final Counter reused;
    private final Counter embeddings;
    private final DeadLetterCounter deadLetters;
    private ProcessorContext<Object, Object> context;
    private BatchBuffer<PendingChunk> buffer;
    private KeyValueStore<String, CachedVector> cache;
    /** When the oldest of the waiting entries came (about), or -1 when nothing waits or it is not known. */
    private long waitingSinceMs = -1;

    public EmbedBatchProcessor(Embedder embedder, Wiring wiring, int batchSize, Duration linger, MeterRegistry meters) {
        this.embedder = embedder;
        this.wiring = wiring;
        this.batchSize = batchSize;
        this.linger = linger;
        this.batchTimer = Timer.builder(MetricNames.EMBED_BATCH_SECONDS).tag(MetricNames.TAG_MODEL, embedder.model())
                .publishPercentileHistogram().register(meters);
        this.batchSizes = DistributionSummary.builder(MetricNames.EMBED_BATCH_SIZE)
                .tag(MetricNames.TAG_MODEL, embedder.model()).publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue((double) batchSize).register(meters);
        this.reused = meters.counter(MetricNames.EMBEDDINGS_REUSED, MetricNames.TAG_MODEL, embedder.model());
        this.embeddings = meters.counter(MetricNames.EMBEDDINGS, MetricNames.TAG_MODEL, embedder.model());
        this.deadLetters = new DeadLetterCounter(meters).expect(DeadLetters.STAGE_EMBED, DeadLetterReason.MODEL_REFUSED);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.buffer = new BatchBuffer<>(context.getStateStore(wiring.bufferStore()));
        this.cache = context.getStateStore(wiring.cacheStore());
        context.schedule(linger, PunctuationType.WALL_CLOCK_TIME, this::lingered);
    }

    @Override
    public void process(Record<String, PendingChunk> record) {
        if (buffer.size() == 0) {
            waitingSinceMs = context.currentSystemTimeMs();
        }
        buffer.put(record.key(), record.value());
        drain(batchSize);
    }

    /**
     * Embeds a partial batch once its oldest entry has waited the linger time. A punctuation that merely
     * falls due (as one does after every batch the model takes longer than the linger time over) must not
     * send the few entries that came since: the model, which embeds a batch's texts in parallel, would run
     * them on fewer threads than it has, at a fraction of its speed.
     */
    private void lingered(long nowMs) {
        if (buffer.size() > 0 && (waitingSinceMs < 0 || nowMs - waitingSinceMs >= linger.toMillis())) {
            drain(1);
        }
    }

    /** Handles waiting work in batches of {@code batchSize} while at least {@code minimum} wait. */
    private void drain(int minimum) {
        while (buffer.size() >= minimum && buffer.size() > 0) {
            List<KeyValue<String, PendingChunk>> batch = buffer.peek(batchSize);
            handle(batch);
            buffer.remove(batch);
            // what is left came while the batch was embedded: it starts waiting now
            waitingSinceMs = buffer.size() == 0 ? -1 : context.currentSystemTimeMs();
        }
    }

    private void handle(List<KeyValue<String, PendingChunk>> batch) {
        long now = context.currentSystemTimeMs();
        List<PendingChunk> toEmbed = new ArrayList<>();
        for (KeyValue<String, PendingChunk> entry : batch) {
            Optional<Chunk> chunk = entry.value.content();
            // Every record keeps its document's timestamp, so that a sink can tell how fresh its write is.
            long timestamp = entry.value.publishedAtOr(now);
            if (chunk.isEmpty()) {
                cache.delete(entry.key);
                context.forward(new Record<>(entry.key, null, timestamp), wiring.embeddingsChild());
                continue;
            }
            CachedVector cached = cache.get(entry.key);
            if (cached != null && cached.fits(chunk.get().text(), embedder.model())) {
                reused.increment();
                forward(chunk.get(), cached.vector(), timestamp);
            } else {
                toEmbed.add(entry.value);
            }
        }
        if (!toEmbed.isEmpty()) {
            embed(toEmbed, now);
        }
    }

    private void embed(List<PendingChunk> pending, long now) {
        List<Chunk> chunks = pending.stream().map(p -> p.content().orElseThrow()).toList();
        List<float[]> vectors;
        long start = System.nanoTime();
        try {
            vectors = embedder.embedAll(chunks.stream().map(Chunk::text).toList());
        } catch (RuntimeException e) {
            LOG.warn("embedding a batch of {} failed ({}); retrying one by one", chunks.size(), e.getMessage());
            pending.forEach(p -> embedAlone(p.content().orElseThrow(), p.publishedAtOr(now)));
            return;
        }
        batchTimer.record(Duration.ofNanos(System.nanoTime() - start));
        batchSizes.record(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            remember(chunks.get(i), vectors.get(i));
            forward(chunks.get(i), vectors.get(i), pending.get(i).publishedAtOr(now));
        }
    }

    private void embedAlone(Chunk chunk, long timestamp) {
        try {
            float[] vector = embedder.embedAll(List.of(chunk.text())).getFirst();
            remember(chunk, vector);
            forward(chunk, vector, timestamp);
        } catch (RuntimeException e) {
            LOG.warn("chunk {} cannot be embedded, sent to the dead-letter topic: {}", chunk.chunkId(), e.getMessage());
            deadLetters.count(DeadLetters.STAGE_EMBED, DeadLetterReason.MODEL_REFUSED);
            context.forward(new Record<Object, Object>(chunk.chunkId().getBytes(StandardCharsets.UTF_8),
                    CHUNK_SERDE.serializer().serialize(null, chunk), timestamp,
                    DeadLetters.headers(DeadLetters.STAGE_EMBED, e, Optional.empty())), wiring.dlqChild());
        }
    }

    private void remember(Chunk chunk, float[] vector) {
        cache.put(chunk.chunkId(), new CachedVector(CachedVector.hash(chunk.text()), embedder.model(), vector));
    }

    private void forward(Chunk chunk, float[] vector, long timestamp) {
        EmbeddedChunk embedded = new EmbeddedChunk(chunk, embedder.model(), embedder.dimension(), vector);
        embeddings.increment();
        context.forward(new Record<Object, Object>(chunk.chunkId(), embedded, timestamp), wiring.embeddingsChild());
    }
}
