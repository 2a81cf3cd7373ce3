package io.faro.core.embed;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The embedding models of one process, by model name, each loaded once and only when first needed. A
 * store that {@code faro reembed} switched to another model is then written and searched with that
 * model while the process keeps running.
 */
public final class Embedders {

    private final Map<String, Embedder> byModel = new ConcurrentHashMap<>();
    private final Function<String, Embedder> loader;

    /** FARO's in-process models. */
    public Embedders() {
        this(model -> OnnxEmbedder.create(EmbeddingModelName.parse(model, "model")));
    }

    public Embedders(Function<String, Embedder> loader) {
        this.loader = loader;
    }

    /** The embedder of this model, loading it on first use. */
    public Embedder get(String model) {
        return byModel.computeIfAbsent(model, loader);
    }
}
