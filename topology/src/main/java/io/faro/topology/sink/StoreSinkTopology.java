package io.faro.topology.sink;

import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.json.JsonSerde;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.store.VectorStore;
import io.faro.core.topic.Topics;
import io.faro.topology.buffer.BatchBuffer;
import io.faro.topology.runtime.StreamsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * A sink application: keeps one vector store in step with {@code faro.embeddings}. Each store has its
 * own application id (its own consumer group and lag), so a slow or dead store never holds up another.
 * <ul>
 *   <li>in: {@code faro.embeddings}, key chunk id, value embedding JSON, or null (delete the chunk);</li>
 *   <li>out: {@code faro.dlq}, records that are not embeddings, with error headers.</li>
 * </ul>
 * At-least-once with idempotent upserts keyed by chunk id: a replayed write converges.
 */
public final class StoreSinkTopology {

    static final String SOURCE = "embeddings-source";
    static final String WRITER = "store-writer";
    static final String BUFFER = "sink-buffer";
    static final String DLQ_SINK = "dlq-sink";
    private static final Duration WRITER_IDLE = Duration.ofSeconds(30);

    private StoreSinkTopology() {
    }

    public static String applicationId(VectorStore store) {
        return KafkaIds.sinkApplicationId(store.name());
    }

    /** The sink of one store; {@code embedders} re-embed records made with a model the store no longer holds. */
    public static Topology build(FaroConfig config, VectorStore store, Embedders embedders, MeterRegistry meters) {
        return build(config, store, embedders, meters, writerThread(store));
    }

    /** With the batches written on {@code writer}; a test may run them where and when it chooses. */
    static Topology build(FaroConfig config, VectorStore store, Embedders embedders, MeterRegistry meters,
                          Executor writer) {
        SinkMetrics metrics = new SinkMetrics(store.name(), meters);
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.EMBEDDINGS.name());
        topology.addProcessor(WRITER, () -> new StoreSinkProcessor(store, embedders, BUFFER, config.sinkBatchSize(),
                Duration.ofMillis(config.sinkLingerMs()), metrics, writer), SOURCE);
        topology.addStateStore(BatchBuffer.storeBuilder(BUFFER, JsonSerde.of(SinkOp.class)), WRITER);
        topology.addSink(DLQ_SINK, Topics.DLQ.name(), new ByteArraySerializer(), new ByteArraySerializer(), WRITER);
        return topology;
    }

    /**
     * One thread writes the batches of all the application's tasks, one after the other, as the stream thread did
     * before it had a writer: the store gets the same load, with the next batch already waiting. It stops when
     * idle, so a sink that was built and stopped leaves no thread behind.
     */
    private static Executor writerThread(VectorStore store) {
        ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, WRITER_IDLE.toSeconds(), TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), Thread.ofPlatform().name("faro-sink-writer-" + store.name()).daemon()
                .factory());
        writer.allowCoreThreadTimeOut(true);
        return writer;
    }

    public static Properties streamsConfig(FaroConfig config, VectorStore store) {
        Properties props = StreamsSettings.common(config, applicationId(store));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // The ingest topology writes embeddings in transactions. At-least-once would read them uncommitted
        // (Kafka Streams' default), so an aborted record could reach a store, and a rebuild, which reads
        // committed records only, could miss a write the sink made to the old copy just before its switch.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        return props;
    }
}
