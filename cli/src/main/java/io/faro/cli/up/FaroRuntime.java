package io.faro.cli.up;

import io.faro.cli.broker.EmbeddedKafkaBroker;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.embed.OnnxEmbedder;
import io.faro.core.local.LocalPostgres;
import io.faro.core.store.VectorStore;
import io.faro.core.metrics.StoreSizeGauges;
import io.faro.core.store.pgvector.PgVectorStore;
import io.faro.core.store.qdrant.QdrantStore;
import io.faro.core.topic.TopicInitializer;
import io.faro.gateway.GatewayServer;
import io.faro.gateway.health.ReadinessCheck;
import io.faro.topology.ingest.IngestTopology;
import io.faro.topology.runtime.StreamsRunner;
import io.faro.topology.sink.StoreSinkTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything FARO runs, in one process: PostgreSQL (private or given), the Kafka broker (embedded or
 * given), the topics, the ingest topology, one sink per store (pgvector, and Qdrant when
 * {@code FARO_QDRANT_URL} is set) and the gateway. Closing stops them in reverse order.
 */
public final class FaroRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaroRuntime.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final FaroConfig config;
    private String pgUrl;
    private String bootstrapServers;
    private GatewayServer gateway;
    private StreamsRunner ingest;
    private final List<StreamsRunner> sinks = new ArrayList<>();

    private FaroRuntime(FaroConfig config) {
        this.config = config;
    }

    public static FaroRuntime start(FaroConfig config) {
        FaroRuntime runtime = new FaroRuntime(config);
        try {
            runtime.startAll();
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    private void startAll() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics()).forEach(binder -> binder.bindTo(meters));

        pgUrl = config.pgUrl().orElseGet(() -> {
            LocalPostgres pg = LocalPostgres.start(config.home().resolve("postgres"), config.pgPort());
            started.push(pg);
            return pg.url();
        });
        bootstrapServers = config.kafkaBootstrap().orElseGet(() -> {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config.home().resolve("kafka"), config.kafkaPort());
            started.push(broker);
            return broker.bootstrapServers();
        });
        TopicInitializer.ensureTopics(bootstrapServers, config.topicPartitions());

        Embedder embedder = OnnxEmbedder.create(config.embeddingModel());
        VectorStore pgvector = PgVectorStore.open(pgUrl, config.pgTable(), embedder.model(), embedder.dimension());
        started.push(pgvector);
        Optional<VectorStore> qdrant = config.qdrant().map(settings -> {
            VectorStore store = QdrantStore.open(settings.url(), settings.apiKey(), settings.collection(),
                    embedder.model(), embedder.dimension(), Duration.ofMillis(settings.timeoutMs()));
            started.push(store);
            return store;
        });
        qdrant.ifPresentOrElse(
                store -> LOG.info("vector stores: Qdrant at {} (alias {}) serves queries; pgvector (table {}) is the"
                        + " durable copy and the shadow", config.qdrant().get().url(), config.qdrant().get().collection(),
                        config.pgTable()),
                () -> LOG.info("no {} set: FARO runs on pgvector alone (table {})", FaroConfig.QDRANT_URL,
                        config.pgTable()));
        List<VectorStore> stores = qdrant.map(q -> List.of(q, pgvector)).orElse(List.of(pgvector));
        started.push(new StoreSizeGauges(stores, meters, Duration.ofSeconds(15)));

        ingest = startStreams(IngestTopology.APPLICATION_ID, IngestTopology.build(config, embedder, meters),
                IngestTopology.streamsConfig(config), meters);
        for (VectorStore store : stores) {
            sinks.add(startStreams(StoreSinkTopology.applicationId(store), StoreSinkTopology.build(config, store, meters),
                    StoreSinkTopology.streamsConfig(config, store), meters));
        }

        KafkaReachability kafka = new KafkaReachability(bootstrapServers);
        started.push(kafka);
        List<ReadinessCheck> readiness = new ArrayList<>();
        readiness.add(ReadinessCheck.critical("kafka", kafka::isReachable));
        readiness.add(ReadinessCheck.critical(ingest.name(), ingest::isRunning));
        sinks.forEach(sink -> readiness.add(ReadinessCheck.critical(sink.name(), sink::isRunning)));
        // With Qdrant in front, pgvector answers when Qdrant cannot: Qdrant down is degraded, not unready.
        qdrant.ifPresent(store -> readiness.add(ReadinessCheck.optional(store.name(), store::isReachable)));
        readiness.add(ReadinessCheck.critical(pgvector.name(), pgvector::isReachable));
        VectorStore primary = qdrant.orElse(pgvector);
        Optional<VectorStore> shadow = qdrant.map(q -> pgvector);
        gateway = GatewayServer.start(config, new GatewayServer.Dependencies(embedder, primary, shadow, readiness, meters));
        started.push(gateway);
        awaitRunning(Duration.ofSeconds(120));
    }

    private StreamsRunner startStreams(String name, Topology topology, Properties props, MeterRegistry meters) {
        StreamsRunner runner = new StreamsRunner(name, topology, props, meters);
        started.push(runner);
        runner.start();
        return runner;
    }

    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(ingest.isRunning() && sinks.stream().allMatch(StreamsRunner::isRunning))) {
            if (System.nanoTime() > deadline) {
                LOG.warn("stream applications not yet running after {} s; continuing", timeout.toSeconds());
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public String gatewayUrl() {
        return "http://localhost:" + gateway.port();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String pgUrl() {
        return pgUrl;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", component.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
