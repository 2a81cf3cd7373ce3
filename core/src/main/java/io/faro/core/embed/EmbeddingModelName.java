package io.faro.core.embed;

import io.faro.core.config.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The in-process embedding models FARO ships, by the name used in config and on every record. */
public enum EmbeddingModelName {
    ALL_MINILM_L6_V2("all-minilm-l6-v2", 384, ""),
    BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", 384, "Represent this sentence for searching relevant passages: ");

    private final String id;
    private final int dimension;
    private final String queryPrefix;

    EmbeddingModelName(String id, int dimension, String queryPrefix) {
        this.id = id;
        this.dimension = dimension;
        this.queryPrefix = queryPrefix;
    }

    public String id() {
        return id;
    }

    public int dimension() {
        return dimension;
    }

    /** The instruction the model was trained to see before a search query (empty when none). */
    public String queryPrefix() {
        return queryPrefix;
    }

    public static EmbeddingModelName parse(String value, String variable) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(model -> model.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new ConfigException(variable + "=" + value + " is not a known model; use one of "
                        + Arrays.stream(values()).map(EmbeddingModelName::id).collect(Collectors.joining(", "))));
    }
}
