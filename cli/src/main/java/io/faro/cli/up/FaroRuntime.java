package io.faro.cli.up;

import io.faro.cli.broker.EmbeddedKafkaBroker;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.embed.OnnxEmbedder;
import io.faro.core.local.LocalPostgres;
import io.faro.core.store.VectorStore;
import io.faro.core.store.pgvector.PgVectorStore;
import io.faro.core.topic.TopicInitializer;
import io.faro.gateway.GatewayServer;
import io.faro.gateway.health.ReadinessCheck;
import io.faro.topology.ingest.IngestTopology;
import io.faro.topology.runtime.StreamsRunner;
import io.faro.topology.sink.StoreSinkTopology;
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
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything FARO runs, in one process: PostgreSQL (private or given), the Kafka broker (embedded or
 * given), the topics, the ingest topology, the pgvector sink and the gateway. Closing stops them in
 * reverse order.
 */
public final class FaroRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaroRuntime.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final FaroConfig config;
    private String pgUrl;
    private String bootstrapServers;
    private GatewayServer gateway;
    private StreamsRunner ingest;
    private StreamsRunner sink;

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
        LOG.info("vector store: pgvector (table {})", config.pgTable());

        ingest = new StreamsRunner(IngestTopology.APPLICATION_ID, IngestTopology.build(config, embedder, meters),
                IngestTopology.streamsConfig(config), meters);
        started.push(ingest);
        ingest.start();
        sink = new StreamsRunner(StoreSinkTopology.applicationId(pgvector),
                StoreSinkTopology.build(config, pgvector, meters),
                StoreSinkTopology.streamsConfig(config, pgvector), meters);
        started.push(sink);
        sink.start();

        KafkaReachability kafka = new KafkaReachability(bootstrapServers);
        started.push(kafka);
        List<ReadinessCheck> readiness = List.of(
                new ReadinessCheck("kafka", kafka::isReachable),
                new ReadinessCheck(ingest.name(), ingest::isRunning),
                new ReadinessCheck(sink.name(), sink::isRunning),
                new ReadinessCheck(pgvector.name(), pgvector::isReachable));
        gateway = GatewayServer.start(config, new GatewayServer.Dependencies(embedder, pgvector, readiness, meters));
        started.push(gateway);
        awaitRunning(Duration.ofSeconds(120));
    }

    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(ingest.isRunning() && sink.isRunning())) {
            if (System.nanoTime() > deadline) {
                LOG.warn("stream applications not yet running after {} s (ingest {}, sink {}); continuing",
                        timeout.toSeconds(), ingest.state(), sink.state());
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
