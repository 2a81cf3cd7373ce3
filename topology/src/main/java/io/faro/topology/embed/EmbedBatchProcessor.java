package io.faro.topology.embed;

import io.faro.core.embed.Embedder;
import io.faro.core.json.JsonSerde;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.topology.buffer.BatchBuffer;
import io.faro.topology.dlq.DeadLetters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds chunks in batches: chunks wait in a changelogged buffer until a full batch is there, or
 * until the linger time passes, so the model sees several texts per call whenever several are waiting.
 * A batch the model refuses is retried text by text, and only the texts it still refuses are dead-lettered.
 */
public final class EmbedBatchProcessor implements Processor<String, Chunk, Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(EmbedBatchProcessor.class);
    private static final JsonSerde<Chunk> CHUNK_SERDE = JsonSerde.of(Chunk.class);

    private final Embedder embedder;
    private final String bufferStore;
    private final String embeddingsChild;
    private final String dlqChild;
    private final int batchSize;
    private final Duration linger;
    private final Timer batchTimer;
    private final DistributionSummary batchSizes;
    private ProcessorContext<Object, Object> context;
    private BatchBuffer<Chunk> buffer;

    public EmbedBatchProcessor(Embedder embedder, String bufferStore, String embeddingsChild, String dlqChild,
                               int batchSize, Duration linger, MeterRegistry meters) {
        this.embedder = embedder;
        this.bufferStore = bufferStore;
        this.embeddingsChild = embeddingsChild;
        this.dlqChild = dlqChild;
        this.batchSize = batchSize;
        this.linger = linger;
        this.batchTimer = Timer.builder(MetricNames.EMBED_BATCH_SECONDS).tag("model", embedder.model())
                .publishPercentileHistogram().register(meters);
        this.batchSizes = DistributionSummary.builder(MetricNames.EMBED_BATCH_SIZE).tag("model", embedder.model())
                .register(meters);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.buffer = new BatchBuffer<>(context.getStateStore(bufferStore));
        context.schedule(linger, PunctuationType.WALL_CLOCK_TIME, now -> drain(1));
    }

    @Override
    public void process(Record<String, Chunk> record) {
        buffer.put(record.key(), record.value());
        drain(batchSize);
    }

    /** Embeds waiting chunks in batches of {@code batchSize} while at least {@code minimum} wait. */
    private void drain(int minimum) {
        while (buffer.size() >= minimum && buffer.size() > 0) {
            List<KeyValue<String, Chunk>> batch = buffer.peek(batchSize);
            embed(batch);
            buffer.remove(batch);
        }
    }

    private void embed(List<KeyValue<String, Chunk>> batch) {
        List<String> texts = batch.stream().map(entry -> entry.value.text()).toList();
        List<float[]> vectors;
        long start = System.nanoTime();
        try {
            vectors = embedder.embedAll(texts);
        } catch (RuntimeException e) {
            LOG.warn("embedding a batch of {} failed ({}); retrying one by one", batch.size(), e.getMessage());
            batch.forEach(this::embedAlone);
            return;
        }
        batchTimer.record(Duration.ofNanos(System.nanoTime() - start));
        batchSizes.record(batch.size());
        long now = context.currentSystemTimeMs();
        for (int i = 0; i < batch.size(); i++) {
            forward(batch.get(i).value, vectors.get(i), now);
        }
    }

    private void embedAlone(KeyValue<String, Chunk> entry) {
        try {
            forward(entry.value, embedder.embedAll(List.of(entry.value.text())).getFirst(),
                    context.currentSystemTimeMs());
        } catch (RuntimeException e) {
            LOG.warn("chunk {} cannot be embedded, sent to the dead-letter topic: {}", entry.key, e.getMessage());
            byte[] value = CHUNK_SERDE.serializer().serialize(null, entry.value);
            context.forward(new Record<Object, Object>(entry.key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    value, context.currentSystemTimeMs(),
                    DeadLetters.headers(DeadLetters.STAGE_EMBED, e, Optional.empty())), dlqChild);
        }
    }

    private void forward(Chunk chunk, float[] vector, long timestamp) {
        EmbeddedChunk embedded = new EmbeddedChunk(chunk, embedder.model(), embedder.dimension(), vector);
        context.forward(new Record<Object, Object>(chunk.chunkId(), embedded, timestamp), embeddingsChild);
    }
}
