package io.faro.cli.component;

import io.faro.core.Component;
import io.faro.core.Connector;
import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.kafka.KafkaConnection;
import io.faro.core.store.StoreKind;
import io.faro.core.topic.TopicInitializer;
import io.faro.gateway.GatewayServer;
import io.faro.gateway.health.ReadinessCheck;
import io.faro.gateway.metrics.ManagementServer;
import io.faro.gateway.metrics.MetricsEndpoint;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Some of FARO's components (and connectors) running in this process, against a Kafka cluster and stores that run
 * elsewhere: what {@code faro run} starts (each deployment of a cluster runs one component), and what
 * {@code faro up} starts with its own broker and PostgreSQL. The gateway's port serves the process's
 * health and metrics; without a gateway, the management port ({@code FARO_METRICS_PORT}) does.
 */
public final class Components implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private final Platform platform;
    private final Optional<GatewayServer> gateway;
    private final Optional<ManagementServer> management;

    private Components(Platform platform, Optional<GatewayServer> gateway, Optional<ManagementServer> management) {
        this.platform = platform;
        this.gateway = gateway;
        this.management = management;
    }

    public static Components start(FaroConfig config, Set<Component> chosen) {
        return start(config, chosen, Set.of());
    }

    /** Components and connectors together ({@code faro run ingest s3-source}, say). */
    public static Components start(FaroConfig config, Set<Component> chosen, Set<Connector> connectors) {
        return start(config, chosen, connectors, EmbeddingModels.CONFIGURED);
    }

    /** With embedding models of the caller's ({@code faro bench ceiling}'s, which cost nothing). */
    public static Components start(FaroConfig config, Set<Component> chosen, Set<Connector> connectors,
                                   EmbeddingModels models) {
        if (chosen.contains(Component.SINK_QDRANT) && config.qdrant().isEmpty()) {
            throw new ConfigException("the sink-qdrant component needs " + FaroConfig.QDRANT_URL);
        }
        Platform platform = new Platform(config, models);
        try {
            Optional<ManagementServer> management = Optional.empty();
            if (!chosen.contains(Component.GATEWAY)) {
                // Up first, so that probes are answered (live, not yet ready) while the components start.
                ManagementServer server = ManagementServer.start(config.http().host(), config.http().managementPort(),
                        platform.health(), platform.meters());
                platform.add(server);
                management = Optional.of(server);
            }
            KafkaConnection.check(config.kafka());
            KafkaReachability kafka = new KafkaReachability(config.kafka());
            platform.add(kafka);
            // A gateway alone serves search without Kafka: Kafka away only marks it degraded (uploads answer 503).
            boolean kafkaCritical = !chosen.equals(EnumSet.of(Component.GATEWAY));
            platform.health().ready(new ReadinessCheck("kafka", kafka::isReachable, kafkaCritical));
            TopicInitializer.ensureTopics(config.kafka(), config.maxDocumentBytes());

            Set<Component> components = chosen.isEmpty() ? EnumSet.noneOf(Component.class) : EnumSet.copyOf(chosen);
            if (components.contains(Component.INGEST)) {
                IngestLauncher.start(platform);
            }
            if (components.contains(Component.SINK_QDRANT)) {
                SinkLauncher.start(platform, StoreKind.QDRANT);
            }
            if (components.contains(Component.SINK_PGVECTOR)) {
                SinkLauncher.start(platform, StoreKind.PGVECTOR);
            }
            if (connectors.contains(Connector.S3_SOURCE)) {
                S3SourceLauncher.start(platform);
            }
            if (connectors.contains(Connector.CHUNK_ARCHIVE)) {
                ChunkArchiveLauncher.start(platform);
            }
            Optional<GatewayServer> gateway = components.contains(Component.GATEWAY)
                    ? Optional.of(GatewayLauncher.start(platform)) : Optional.empty();
            platform.startGauges();
            platform.awaitRunning(STARTUP_TIMEOUT);
            return new Components(platform, gateway, management);
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    public String gatewayUrl() {
        return baseUrl(gateway.orElseThrow(() ->
                new IllegalStateException("the gateway is not one of the running components")).port());
    }

    /** Where this process serves {@code /metrics}: the gateway's port, or the management port. */
    public String metricsUrl() {
        return baseUrl(port()) + MetricsEndpoint.PATH;
    }

    /** The port of {@code /health/*} and {@code /metrics}: the gateway's, or the management port. */
    public int port() {
        return gateway.map(GatewayServer::port).orElseGet(() -> management.orElseThrow().port());
    }

    public String bootstrapServers() {
        return platform.config().kafka().bootstrapServers();
    }

    private String baseUrl(int port) {
        String host = platform.config().http().host();
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        return "http://" + (wildcard ? "localhost" : host) + ":" + port;
    }

    @Override
    public void close() {
        platform.close();
    }
}
