package io.faro.core.kafka;

import io.faro.core.config.FaroConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How FARO reaches Kafka: the cluster ({@code FARO_KAFKA_BOOTSTRAP}, or the embedded broker of
 * {@code faro up} on {@code embeddedPort}), its security, extra client properties from a file, who owns
 * the topics, and this instance's stable name in consumer groups. Every Kafka client FARO makes takes its
 * properties from {@link #clientProperties()}.
 */
public record KafkaSettings(
        Optional<String> bootstrap,
        int embeddedPort,
        int topicPartitions,
        TopicsMode topicsMode,
        KafkaSecurity security,
        Optional<Path> propertiesFile,
        String instanceId) {

    /** A plaintext cluster at this address, FARO's defaults for the rest: for tools and tests. */
    public static KafkaSettings at(String bootstrapServers) {
        return new KafkaSettings(Optional.of(bootstrapServers), FaroConfig.DEFAULT_KAFKA_PORT,
                FaroConfig.DEFAULT_TOPIC_PARTITIONS, FaroConfig.DEFAULT_TOPICS_MODE, KafkaSecurity.PLAINTEXT,
                Optional.empty(), "faro");
    }

    /** The bootstrap servers: the given cluster, or the embedded broker's port. */
    public String bootstrapServers() {
        return bootstrap.orElse("localhost:" + embeddedPort);
    }

    /** The properties every FARO client shares: where the cluster is, and how to speak to it securely. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(KafkaClientProperties.of(security, propertiesFile));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** The shared properties with those of one client on top. */
    public Map<String, Object> clientProperties(Map<String, ?> specific) {
        Map<String, Object> props = clientProperties();
        props.putAll(specific);
        return props;
    }

    /** These settings, pointed at another cluster (the embedded broker, once it listens). */
    public KafkaSettings withBootstrap(String servers) {
        return new KafkaSettings(Optional.of(servers), embeddedPort, topicPartitions, topicsMode, security,
                propertiesFile, instanceId);
    }
}
