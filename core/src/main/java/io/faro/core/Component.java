package io.faro.core;

import io.faro.core.config.ConfigException;
import java.util.Arrays;

/** The parts of FARO that run as deployments of their own ({@code faro run COMPONENT}), or together in {@code faro up}. */
public enum Component {
    INGEST("ingest"),
    SINK_PGVECTOR("sink-pgvector"),
    SINK_QDRANT("sink-qdrant"),
    GATEWAY("gateway");

    private final String id;

    Component(String id) {
        this.id = id;
    }

    /** The name used on the command line, in logs, in the Helm chart and in Kafka user names. */
    public String id() {
        return id;
    }

    public static Component parse(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst()
                .orElseThrow(() -> new ConfigException("unknown component '" + id + "'; use one of "
                        + Arrays.stream(values()).map(Component::id).toList()));
    }
}
