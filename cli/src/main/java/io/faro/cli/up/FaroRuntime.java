package io.faro.cli.up;

import io.faro.embedders.EmbedderFactory;
import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.devstack.LocalPostgres;
import io.faro.core.store.VectorStore;
import io.faro.maintenance.reconcile.PeriodicReconciler;
import io.faro.maintenance.reconcile.Reconciler;
import io.faro.maintenance.replay.EmbeddingsSnapshot;
import io.faro.core.metrics.ConsumerLag;
import io.faro.core.metrics.ConsumerLagGauges;
import io.faro.core.metrics.StoreSizeGauges;
import io.faro.stores.pgvector.PgVectorStore;
import io.faro.stores.qdrant.QdrantStore;
import io.faro.core.topic.TopicInitializer;
import io.faro.core.topic.Topics;
import io.faro.gateway.GatewayServer;
import io.faro.gateway.health.ReadinessCheck;
import io.faro.gateway.metrics.MetricsEndpoint;
import io.faro.gateway.metrics.MetricsServer;
import io.faro.topology.ingest.IngestTopology;
import io.faro.topology.runtime.StreamsRunner;
import io.faro.topology.sink.StoreSinkTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import io.faro.core.config.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
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
    private static final Duration LAG_INTERVAL = Duration.ofSeconds(5);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final FaroConfig config;
    private String pgUrl;
    private String bootstrapServers;
    private GatewayServer gateway;
    private MetricsServer metricsServer;
    private final List<StreamsRunner> runners = new ArrayList<>();

    private FaroRuntime(FaroConfig config) {
        this.config = config;
    }

    /** The parts of FARO that can run, together in {@code faro up} or one by one with {@code faro run}. */
    public enum Component {
        INGEST("ingest"), SINK_PGVECTOR("sink-pgvector"), SINK_QDRANT("sink-qdrant"), GATEWAY("gateway");

        private final String id;

        Component(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Component parse(String id) {
            return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst()
                    .orElseThrow(() -> new ConfigException("unknown component '" + id + "'; use one of "
                            + Arrays.stream(values()).map(Component::id).toList()));
        }
    }

    /** Everything, as {@code faro up} runs it: a broker and a PostgreSQL of its own unless given. */
    public static FaroRuntime start(FaroConfig config) {
        Set<Component> all = EnumSet.allOf(Component.class);
        if (config.qdrant().isEmpty()) {
            all.remove(Component.SINK_QDRANT);
        }
        return start(config, all, true);
    }

    /**
     * Some components against a Kafka cluster and stores that run elsewhere, as {@code faro run} runs
     * them (each deployment of a cluster runs one).
     */
    public static FaroRuntime startComponents(FaroConfig config, Set<Component> components) {
        return start(config, components, false);
    }

    private static FaroRuntime start(FaroConfig config, Set<Component> components, boolean local) {
        FaroRuntime runtime = new FaroRuntime(config);
        try {
            runtime.startAll(EnumSet.copyOf(components), local);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    private void startAll(Set<Component> components, boolean local) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics(), new JvmInfoMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())
                .forEach(binder -> binder.bindTo(meters));
        if (!components.contains(Component.GATEWAY)) {
            // Without a gateway nothing else serves /metrics; with one, its port serves them all.
            metricsServer = MetricsServer.start(config.metricsPort(), meters);
            started.push(metricsServer);
        }
        boolean needsPgvector = components.contains(Component.SINK_PGVECTOR) || components.contains(Component.GATEWAY);
        boolean needsQdrant = components.contains(Component.SINK_QDRANT)
                || (components.contains(Component.GATEWAY) && config.qdrant().isPresent());
        if (components.contains(Component.SINK_QDRANT) && config.qdrant().isEmpty()) {
            throw new ConfigException("the sink-qdrant component needs " + FaroConfig.QDRANT_URL);
        }

        if (needsPgvector) {
            pgUrl = config.pgUrl().orElseGet(() -> {
                if (!local) {
                    throw new ConfigException("faro run " + components + " needs " + FaroConfig.PG_URL);
                }
                LocalPostgres pg = LocalPostgres.start(config.home().resolve("postgres"), config.pgPort());
                started.push(pg);
                return pg.url();
            });
        }
        bootstrapServers = config.kafkaBootstrap().orElseGet(() -> {
            if (!local) {
                throw new ConfigException("faro run needs " + FaroConfig.KAFKA_BOOTSTRAP);
            }
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config.home().resolve("kafka"), config.kafkaPort());
            started.push(broker);
            return broker.bootstrapServers();
        });
        TopicInitializer.ensureTopics(bootstrapServers, config.topicPartitions());

        String model = config.embeddingModel().id();
        int dimension = config.embeddingModel().dimension();
        Optional<VectorStore> pgvector = Optional.empty();
        if (needsPgvector) {
            VectorStore store = PgVectorStore.open(pgUrl, config.pgTable(), model, dimension);
            started.push(store);
            pgvector = Optional.of(store);
        }
        Optional<VectorStore> qdrant = Optional.empty();
        if (needsQdrant) {
            FaroConfig.QdrantSettings settings = config.qdrant().orElseThrow();
            VectorStore store = QdrantStore.open(settings.url(), settings.apiKey(), settings.collection(), model,
                    dimension, Duration.ofMillis(settings.timeoutMs()));
            started.push(store);
            qdrant = Optional.of(store);
        }
        if (components.contains(Component.GATEWAY)) {
            qdrant.ifPresentOrElse(
                    store -> LOG.info("vector stores: Qdrant at {} (alias {}) serves queries; pgvector (table {}) is"
                            + " the durable copy and the shadow", config.qdrant().get().url(),
                            config.qdrant().get().collection(), config.pgTable()),
                    () -> LOG.info("no {} set: FARO runs on pgvector alone (table {})", FaroConfig.QDRANT_URL,
                            config.pgTable()));
        }
        List<VectorStore> stores = Stream.of(qdrant, pgvector).flatMap(Optional::stream).toList();
        if (!stores.isEmpty()) {
            started.push(new StoreSizeGauges(stores, meters, Duration.ofSeconds(15)));
            // Only where /metrics is served: elsewhere the whole-topic read would show nothing to anyone.
            if (config.reconcileIntervalS() > 0 && components.contains(Component.GATEWAY)) {
                started.push(new PeriodicReconciler(new EmbeddingsSnapshot(bootstrapServers, Duration.ofMinutes(10)),
                        stores, new Reconciler(meters), Duration.ofSeconds(config.reconcileIntervalS())));
            }
        }

        // Sinks load a model only if faro reembed switches their store while old records are on their way.
        Embedders embedders = EmbedderFactory.embedders();
        if (components.contains(Component.INGEST) || components.contains(Component.GATEWAY)) {
            embedders.get(model); // loaded now rather than on the first record or question
        }
        if (components.contains(Component.INGEST)) {
            runners.add(startStreams(IngestTopology.APPLICATION_ID,
                    IngestTopology.build(config, embedders.get(model), meters), IngestTopology.streamsConfig(config),
                    meters));
        }
        if (components.contains(Component.SINK_QDRANT)) {
            runners.add(startSink(qdrant.orElseThrow(), embedders, meters));
        }
        if (components.contains(Component.SINK_PGVECTOR)) {
            runners.add(startSink(pgvector.orElseThrow(), embedders, meters));
        }
        watchLag(components, Stream.of(qdrant.filter(s -> components.contains(Component.SINK_QDRANT)),
                pgvector.filter(s -> components.contains(Component.SINK_PGVECTOR))).flatMap(Optional::stream).toList(),
                meters);

        if (components.contains(Component.GATEWAY)) {
            KafkaReachability kafka = new KafkaReachability(bootstrapServers);
            started.push(kafka);
            List<ReadinessCheck> readiness = new ArrayList<>();
            readiness.add(ReadinessCheck.critical("kafka", kafka::isReachable));
            runners.forEach(runner -> readiness.add(ReadinessCheck.critical(runner.name(), runner::isRunning)));
            // With Qdrant in front, pgvector answers when Qdrant cannot: Qdrant down is degraded, not unready.
            qdrant.ifPresent(store -> readiness.add(ReadinessCheck.optional(store.name(), store::isReachable)));
            VectorStore durable = pgvector.orElseThrow();
            readiness.add(ReadinessCheck.critical(durable.name(), durable::isReachable));
            VectorStore primary = qdrant.orElse(durable);
            Optional<VectorStore> shadow = qdrant.map(q -> durable);
            gateway = GatewayServer.start(config,
                    new GatewayServer.Dependencies(embedders, model, primary, shadow, readiness, meters));
            started.push(gateway);
        }
        awaitRunning(Duration.ofSeconds(120));
    }

    /** Lag of the stream applications this process runs, measured where their metrics are served. */
    private void watchLag(Set<Component> components, List<VectorStore> sinks, MeterRegistry meters) {
        List<ConsumerLagGauges.Watched> watched = new ArrayList<>();
        if (components.contains(Component.INGEST)) {
            watched.add(new ConsumerLagGauges.Watched(IngestTopology.APPLICATION_ID, Topics.DOCUMENTS.name()));
        }
        sinks.forEach(store -> watched.add(
                new ConsumerLagGauges.Watched(StoreSinkTopology.applicationId(store), Topics.EMBEDDINGS.name())));
        if (!watched.isEmpty()) {
            started.push(new ConsumerLagGauges(new ConsumerLag(bootstrapServers), watched, meters, LAG_INTERVAL));
        }
    }

    private StreamsRunner startSink(VectorStore store, Embedders embedders, MeterRegistry meters) {
        return startStreams(StoreSinkTopology.applicationId(store),
                StoreSinkTopology.build(config, store, embedders, meters),
                StoreSinkTopology.streamsConfig(config, store), meters);
    }

    private StreamsRunner startStreams(String name, Topology topology, Properties props, MeterRegistry meters) {
        StreamsRunner runner = new StreamsRunner(name, topology, props, meters);
        started.push(runner);
        runner.start();
        return runner;
    }

    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!runners.stream().allMatch(StreamsRunner::isRunning)) {
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
        if (gateway == null) {
            throw new IllegalStateException("the gateway is not one of the running components");
        }
        return "http://localhost:" + gateway.port();
    }

    /** Where this process serves {@code /metrics}: the gateway's port, or {@code FARO_METRICS_PORT}. */
    public String metricsUrl() {
        int port = gateway != null ? gateway.port() : metricsServer.port();
        return "http://localhost:" + port + MetricsEndpoint.PATH;
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
