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
import java.util.List;
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
 */
final class StoreSinkProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(StoreSinkProcessor.class);
    private static final JsonSerde<EmbeddedChunk> SERDE = JsonSerde.of(EmbeddedChunk.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration MAX_BLOCK = Duration.ofMinutes(2);

    private final VectorStore store;
    private final Embedders embedders;
    private final String bufferStore;
    private final int batchSize;
    private final int maxBuffered;
    private final Duration linger;
    private final SinkMetrics metrics;
    private long reportedBuffered;
    /** The store's model as last refused with; null until a write is refused. */
    private String liveModel;
    private ProcessorContext<Object, Object> context;
    private BatchBuffer<SinkOp> buffer;
    private Duration backoff = Duration.ZERO;
    private long nextAttemptMs;
    /** Writes what lingers in the buffer; runs only while something does. */
    private WorkPunctuation lingering;

    StoreSinkProcessor(VectorStore store, Embedders embedders, String bufferStore, int batchSize, Duration linger,
                       SinkMetrics metrics) {
        this.store = store;
        this.embedders = embedders;
        this.bufferStore = bufferStore;
        this.batchSize = batchSize;
        this.maxBuffered = batchSize * 4;
        this.linger = linger;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.buffer = new BatchBuffer<>(context.getStateStore(bufferStore));
        trackBuffered();
        lingering = new WorkPunctuation(context, linger, this::punctuate);
        if (buffer.size() > 0) {
            lingering.expect();
        }
    }

    @Override
    public void close() {
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
        trackBuffered();
        lingering.expect();
        if (buffer.size() >= maxBuffered) {
            writeBlocking();
        } else if (buffer.size() >= batchSize && context.currentSystemTimeMs() >= nextAttemptMs) {
            tryWrite();
        }
    }

    /** Writes what waits, when no backoff holds it; answers whether anything still waits. */
    private boolean punctuate(long nowMs) {
        if (nowMs >= nextAttemptMs) {
            tryWrite();
        }
        return buffer.size() > 0;
    }

    /** Writes all waiting batches; on failure keeps them and schedules the next attempt. */
    private boolean tryWrite() {
        try {
            while (buffer.size() > 0) {
                List<KeyValue<String, SinkOp>> batch = buffer.peek(batchSize);
                write(batch);
                buffer.remove(batch);
                trackBuffered();
            }
            if (!backoff.isZero()) {
                LOG.info("{} is writable again", store.name());
            }
            backoff = Duration.ZERO;
            nextAttemptMs = 0;
            return true;
        } catch (RuntimeException e) {
            metrics.failures.increment();
            backoff = backoff.isZero() ? MIN_BACKOFF : min(backoff.multipliedBy(2), MAX_BACKOFF);
            long jitter = (long) (backoff.toMillis() * 0.2 * Math.random());
            nextAttemptMs = context.currentSystemTimeMs() + backoff.toMillis() + jitter;
            LOG.warn("writing {} records to {} failed, retrying in {} ms: {}", buffer.size(), store.name(),
                    backoff.toMillis() + jitter, e.getMessage());
            return false;
        }
    }

    private void writeBlocking() {
        long deadline = System.currentTimeMillis() + MAX_BLOCK.toMillis();
        while (!tryWrite()) {
            long wait = nextAttemptMs - context.currentSystemTimeMs();
            if (System.currentTimeMillis() + wait > deadline) {
                throw new SinkStalledException(store.name() + " has refused writes for " + MAX_BLOCK.toSeconds()
                        + " s with " + buffer.size() + " records waiting; the stream thread restarts from the"
                        + " last commit and nothing is lost");
            }
            try {
                Thread.sleep(Math.max(wait, 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkStalledException("interrupted while waiting for " + store.name());
            }
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
