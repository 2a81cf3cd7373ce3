package io.faro.topology.sink;

import io.faro.core.embed.Embedders;
import io.faro.core.json.JsonSerde;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.ModelMismatchException;
import io.faro.core.store.VectorStore;
import io.faro.topology.buffer.BatchBuffer;
import io.faro.topology.dlq.DeadLetterReason;
import io.faro.topology.dlq.DeadLetters;
import io.faro.topology.runtime.WorkPunctuation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes embeddings to one vector store in batches. Writes wait in a changelogged buffer, so an
 * offset may be committed before its write without losing it; a failed batch stays in the buffer
 * and is retried with exponential backoff, never skipped. When the buffer is full the stream thread
 * waits for the store (bounded), so a dead store slows consumption instead of growing memory.
 *
 * <p>Batches are written on the sink's writer thread ({@link StoreSinkTopology}), one write (the full batches waiting)
 * per task at a time, while the stream thread goes on reading and decoding what comes next: the store is not left
 * idle while the sink gathers its next batch, as it was when the stream thread wrote each batch itself. A write's
 * entries leave the buffer only once the store has them; an entry that changed meanwhile (a newer embedding of the
 * chunk, or its deletion) stays, and goes in the next write, which starts only after this one ended, so the store
 * sees each chunk's writes in the order they came.
 */
final class StoreSinkProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(StoreSinkProcessor.class);
    private static final JsonSerde<EmbeddedChunk> SERDE = JsonSerde.of(EmbeddedChunk.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration MAX_BLOCK = Duration.ofMinutes(2);
    /** How often a task with a write under way looks whether the store is done with it. */
    static final Duration FOLLOW_UP = Duration.ofMillis(5);

    /** A write the writer thread has: its entries (one or more batches), their keys, and when it is done. */
    private record Write(List<KeyValue<String, SinkOp>> entries, Set<String> keys, CompletableFuture<Void> done) {
    }

    private final VectorStore store;
    private final Embedders embedders;
    private final String bufferStore;
    private final int batchSize;
    private final int maxBuffered;
    private final Duration linger;
    private final SinkMetrics metrics;
    private final Executor writer;
    private long reportedBuffered;
    /** The store's model as last refused with; null until a write is refused. Set and read on the writer thread. */
    private volatile String liveModel;
    private ProcessorContext<Object, Object> context;
    private BatchBuffer<SinkOp> buffer;
    private Duration backoff = Duration.ZERO;
    private long nextAttemptMs;
    /** The write under way, or null. */
    private Write underWay;
    /** Keys of the write under way that got a newer value meanwhile: they stay in the buffer when it ends. */
    private final Set<String> changedMeanwhile = new HashSet<>();
    /** Writes what lingers in the buffer; runs only while something does. */
    private WorkPunctuation lingering;
    /** Settles the write under way when the store is done with it, and sends the next; runs only while one is. */
    private WorkPunctuation followingUp;

    /** {@code writer}: where batches are written, shared by the application's tasks. */
    StoreSinkProcessor(VectorStore store, Embedders embedders, String bufferStore, int batchSize, Duration linger,
                       SinkMetrics metrics, Executor writer) {
        this.store = store;
        this.embedders = embedders;
        this.bufferStore = bufferStore;
        this.batchSize = batchSize;
        this.maxBuffered = batchSize * 4;
        this.linger = linger;
        this.metrics = metrics;
        this.writer = writer;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.buffer = new BatchBuffer<>(context.getStateStore(bufferStore));
        trackBuffered();
        lingering = new WorkPunctuation(context, linger, this::punctuate);
        followingUp = new WorkPunctuation(context, FOLLOW_UP, now -> {
            pump(false, now);
            return underWay != null;
        });
        if (buffer.size() > 0) {
            lingering.expect();
        }
    }

    /**
     * Waits for the write under way, so that the task's next owner, which writes what is still in the buffer, never
     * races this one on the same chunks. Its entries stay in the buffer either way: writing them again converges.
     */
    @Override
    public void close() {
        if (underWay != null) {
            try {
                underWay.done().get(MAX_BLOCK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // kept in the buffer: the next owner writes it again
            } catch (TimeoutException e) {
                LOG.warn("{} has not finished a write of {} records after {} s; closing the task anyway", store.name(),
                        underWay.entries().size(), MAX_BLOCK.toSeconds());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            underWay = null;
            changedMeanwhile.clear();
        }
        metrics.buffered(-reportedBuffered);
        reportedBuffered = 0;
    }

    /** Keeps the sink's buffered-records gauge in step with this task's buffer. */
    private void trackBuffered() {
        long size = buffer.size();
        metrics.buffered(size - reportedBuffered);
        reportedBuffered = size;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            deadLetter(record, DeadLetterReason.MISSING_KEY,
                    new IllegalArgumentException("embedding record has no key (chunk id)"));
            return;
        }
        String chunkId = new String(record.key(), StandardCharsets.UTF_8);
        SinkOp op;
        try {
            op = record.value() == null ? SinkOp.delete(chunkId, record.timestamp()) : new SinkOp(chunkId,
                    SERDE.deserializer().deserialize(context.recordMetadata().map(m -> m.topic()).orElse(""),
                            record.value()), record.timestamp());
        } catch (SerializationException | IllegalArgumentException e) {
            deadLetter(record, DeadLetterReason.NOT_AN_EMBEDDING, e);
            return;
        }
        buffer.put(chunkId, op);
        if (underWay != null && underWay.keys().contains(chunkId)) {
            changedMeanwhile.add(chunkId);
        }
        trackBuffered();
        lingering.expect();
        pump(false, context.currentSystemTimeMs());
        if (buffer.size() >= maxBuffered) {
            writeBlocking();
        }
    }

    /** Writes what waits, when no backoff holds it; answers whether anything still waits. */
    private boolean punctuate(long nowMs) {
        pump(true, nowMs);
        return buffer.size() > 0;
    }

    /**
     * Settles the write under way if the store is done with it, then sends the next while none is under way and no
     * backoff holds it: every full batch waiting, or, once the linger time is up ({@code drain}), all that waits.
     * Sending all full batches at once, rather than one, keeps the store busy when input stops: the stream thread
     * then runs only every {@code poll.ms}, and would otherwise leave the store idle that long between batches.
     */
    private void pump(boolean drain, long nowMs) {
        settle(nowMs);
        while (underWay == null && nowMs >= nextAttemptMs
                && (buffer.size() >= batchSize || (drain && buffer.size() > 0))) {
            long waiting = buffer.size();
            int take = (int) (drain ? waiting : waiting - waiting % batchSize);
            List<KeyValue<String, SinkOp>> entries = buffer.peek(take);
            Set<String> keys = new HashSet<>();
            entries.forEach(entry -> keys.add(entry.key));
            underWay = new Write(entries, keys, CompletableFuture.runAsync(() -> writeInBatches(entries), writer));
            followingUp.expect();
            settle(nowMs); // a write the writer is done with already (a writer that runs it in place) ends here
        }
    }

    /** On the writer: the entries in batches of the sink's size, in order. */
    private void writeInBatches(List<KeyValue<String, SinkOp>> entries) {
        for (int from = 0; from < entries.size(); from += batchSize) {
            write(entries.subList(from, Math.min(from + batchSize, entries.size())));
        }
    }

    /** Ends the write under way if the store is done with it: its entries leave the buffer, or it is retried later. */
    private void settle(long nowMs) {
        if (underWay == null || !underWay.done().isDone()) {
            return;
        }
        Write ended = underWay;
        underWay = null;
        try {
            ended.done().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            metrics.failures.increment();
            backoff = backoff.isZero() ? MIN_BACKOFF : min(backoff.multipliedBy(2), MAX_BACKOFF);
            long jitter = (long) (backoff.toMillis() * 0.2 * Math.random());
            nextAttemptMs = nowMs + backoff.toMillis() + jitter;
            LOG.warn("writing {} records to {} failed ({} waiting in all), retrying in {} ms: {}",
                    ended.entries().size(), store.name(), buffer.size(), backoff.toMillis() + jitter,
                    cause.getMessage());
            changedMeanwhile.clear();
            return;
        }
        buffer.remove(ended.entries().stream().filter(entry -> !changedMeanwhile.contains(entry.key)).toList());
        changedMeanwhile.clear();
        trackBuffered();
        if (!backoff.isZero()) {
            LOG.info("{} is writable again", store.name());
        }
        backoff = Duration.ZERO;
        nextAttemptMs = 0;
    }

    /**
     * Holds the stream thread until the buffer has room: the write under way ends, or a retry after a failure. Kafka
     * Streams' clock ({@code currentSystemTimeMs}) stands still while a record is processed, so the time here is
     * that clock moved on by the real time spent waiting.
     */
    private void writeBlocking() {
        long enteredAt = System.currentTimeMillis();
        long streamClockAhead = context.currentSystemTimeMs() - enteredAt;
        long deadline = enteredAt + MAX_BLOCK.toMillis();
        while (buffer.size() >= maxBuffered) {
            long realNow = System.currentTimeMillis();
            long left = deadline - realNow;
            long wait = underWay != null ? left : nextAttemptMs - (realNow + streamClockAhead);
            if (left <= 0 || wait > left) {
                throw new SinkStalledException(store.name() + " has refused writes for " + MAX_BLOCK.toSeconds()
                        + " s with " + buffer.size() + " records waiting; the stream thread restarts from the"
                        + " last commit and nothing is lost");
            }
            try {
                if (underWay != null) {
                    underWay.done().handle((done, failure) -> null).get(wait, TimeUnit.MILLISECONDS);
                } else {
                    Thread.sleep(Math.max(wait, 1));
                }
            } catch (TimeoutException e) {
                // the deadline is checked again above
            } catch (ExecutionException e) {
                throw new IllegalStateException("unreachable: the failure was handled", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkStalledException("interrupted while waiting for " + store.name());
            }
            pump(true, System.currentTimeMillis() + streamClockAhead);
        }
    }

    private void write(List<KeyValue<String, SinkOp>> batch) {
        List<EmbeddedChunk> upserts = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        for (KeyValue<String, SinkOp> entry : batch) {
            entry.value.embedding().ifPresentOrElse(upserts::add, () -> deletes.add(entry.key));
        }
        if (!upserts.isEmpty()) {
            try {
                List<EmbeddedChunk> converted = inLiveModel(upserts);
                metrics.upsertTime.record(() -> store.upsert(converted));
            } catch (ModelMismatchException e) {
                liveModel = e.liveModel();
                List<EmbeddedChunk> converted = inLiveModel(upserts);
                metrics.upsertTime.record(() -> store.upsert(converted));
            }
            metrics.upserted.increment(upserts.size());
            long now = System.currentTimeMillis();
            for (KeyValue<String, SinkOp> entry : batch) {
                if (entry.value.embedding().isPresent()) {
                    entry.value.publishedAt().ifPresent(publishedAt -> metrics.written(publishedAt, now));
                }
            }
        }
        if (!deletes.isEmpty()) {
            metrics.deleteTime.record(() -> store.delete(deletes));
            metrics.deleted.increment(deletes.size());
        }
    }

    /**
     * The embeddings as the store's live model makes them. After {@code faro reembed} switched the store,
     * records made with the old model are still on their way; they are embedded again here rather than
     * mixed in, or dropped.
     */
    private List<EmbeddedChunk> inLiveModel(List<EmbeddedChunk> upserts) {
        if (liveModel == null) {
            return upserts;
        }
        metrics.reembedded.increment(upserts.stream().filter(e -> !e.model().equals(liveModel)).count());
        return embedders.inModel(liveModel, upserts);
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetterReason reason, RuntimeException e) {
        LOG.warn("embedding record rejected by the {} sink, sent to the dead-letter topic: {}", store.name(),
                e.getMessage());
        metrics.deadLetters.count(metrics.stage, reason);
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(),
                DeadLetters.headers(metrics.stage, e, context.recordMetadata())),
                StoreSinkTopology.DLQ_SINK);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
