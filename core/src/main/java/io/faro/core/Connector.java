package io.faro.core;

import io.faro.core.config.ConfigException;
import java.util.Arrays;

/**
 * The programs at FARO's edges, plain Kafka producers and consumers outside Kafka Streams ({@code faro run
 * CONNECTOR}): the S3 bucket source, which publishes a bucket's objects as documents, and the chunk archive, which
 * keeps every live chunk in S3 for {@code faro restore}. They are not {@link Component}s: a cluster deploys the
 * pipeline's components whether or not it uses S3, while a connector runs only where its S3 settings are given,
 * each as its own process ({@code faro up} starts none: run one beside it with {@code faro run}).
 */
public enum Connector {
    S3_SOURCE("s3-source"),
    CHUNK_ARCHIVE("chunk-archive");

    private final String id;

    Connector(String id) {
        this.id = id;
    }

    /** The name used on the command line, in logs and in Kafka ids. */
    public String id() {
        return id;
    }

    public static boolean isConnector(String id) {
        return Arrays.stream(values()).anyMatch(c -> c.id.equals(id));
    }

    public static Connector parse(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst()
                .orElseThrow(() -> new ConfigException("unknown connector '" + id + "'; use one of "
                        + Arrays.stream(values()).map(Connector::id).toList()));
    }
}
