package io.faro.gateway.search;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One question's embedding by model, each made at most once, when first asked for. Two stores hold
 * vectors of two models only for a moment, while {@code faro reembed} switches them one after the other.
 * Thread-safe: the primary and the shadow search ask at the same time.
 */
public final class QueryVectors {

    private final Function<String, float[]> embed;
    private final Map<String, float[]> byModel = new ConcurrentHashMap<>();

    /** {@code embed} turns a model name into the question's vector by that model. */
    public QueryVectors(Function<String, float[]> embed) {
        this.embed = embed;
    }

    public float[] forModel(String model) {
        return byModel.computeIfAbsent(model, embed);
    }
}
