package io.faro.devstack;

import io.faro.core.FaroException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, combined broker and controller) inside this JVM. Its log lives in a
 * directory of FARO's, formatted on first start, so topics and offsets survive a restart. Clients
 * outside the JVM reach it at {@code localhost:PORT}. Tests may give it more listeners and properties
 * (TLS, SASL) on top of what {@code faro up} gets.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final int port;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** A listener besides the plaintext one: its name, port, and security protocol ({@code SSL}, {@code SASL_SSL}). */
    public record Listener(String name, int port, String protocol) {
    }

    /** The broker of {@code faro up}: one plaintext listener on {@code localhost:port}. */
    public static EmbeddedKafkaBroker start(Path logDir, int port) {
        return start(logDir, port, List.of(), Map.of());
    }

    /**
     * A broker with more listeners (on {@code localhost}) than the plaintext one, which stays the
     * inter-broker listener and {@link #bootstrapServers()}, and with {@code properties} over the defaults:
     * for tests of clients that speak TLS or SASL.
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port, List<Listener> listeners,
                                            Map<String, String> properties) {
        int controllerPort = freePort();
        StringBuilder bound = new StringBuilder("PLAINTEXT://localhost:" + port);
        StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        for (Listener listener : listeners) {
            bound.append(',').append(listener.name()).append("://localhost:").append(listener.port());
            protocols.append(',').append(listener.name()).append(':').append(listener.protocol());
        }
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        props.put("listeners", bound + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
        props.put("advertised.listeners", bound.toString());
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listener.security.protocol.map", protocols.toString());
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        // One node: every internal topic has one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        props.putAll(properties);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        formatIfNeeded(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            throw new FaroException("the embedded Kafka broker did not start on port " + port
                    + " (is the port taken? set FARO_KAFKA_PORT): " + e.getMessage(), e);
        }
        LOG.info("Kafka broker listening on localhost:{}, log in {}", port, logDir);
        return new EmbeddedKafkaBroker(server, port);
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static void formatIfNeeded(Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(java.util.List.of(logDir.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run();
            LOG.info("formatted Kafka log directory {}", logDir);
        } catch (Exception e) {
            throw new FaroException("cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new FaroException("no free port for the Kafka controller: " + e.getMessage(), e);
        }
    }
}
