package io.faro.core.embed;

import io.faro.core.model.EmbeddedChunk;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The embedding models of one process, by model name, each loaded once and only when first needed. A
 * store that {@code faro reembed} switched to another model is then written and searched with that
 * model while the process keeps running.
 */
public final class Embedders {

    private final Map<String, Embedder> byModel = new ConcurrentHashMap<>();
    private final Function<String, Embedder> loader;
    private final ToIntFunction<String> dimensions;

    /** Models whose dimension is learnt by making their embedder. */
    public Embedders(Function<String, Embedder> loader) {
        this.loader = loader;
        this.dimensions = model -> get(model).dimension();
    }

    /**
     * @param loader     makes the embedder of a model by its name
     * @param dimensions a model's dimension, known without making its embedder
     */
    public Embedders(Function<String, Embedder> loader, ToIntFunction<String> dimensions) {
        this.loader = loader;
        this.dimensions = dimensions;
    }

    /** The embedder of this model, loading it on first use. */
    public Embedder get(String model) {
        return byModel.computeIfAbsent(model, loader);
    }

    /** The dimension of a model's vectors, without loading one of FARO's own models to learn it. */
    public int dimensionOf(String model) {
        Embedder loaded = byModel.get(model);
        return loaded != null ? loaded.dimension() : dimensions.applyAsInt(model);
    }

    /**
     * The embeddings as {@code model} makes them: those another model made are embedded again from their
     * text, in one batch; the others are returned as they are, in the same order.
     */
    public List<EmbeddedChunk> inModel(String model, List<EmbeddedChunk> embeddings) {
        List<EmbeddedChunk> other = embeddings.stream().filter(e -> !e.model().equals(model)).toList();
        if (other.isEmpty()) {
            return embeddings;
        }
        Embedder embedder = get(model);
        List<float[]> vectors = embedder.embedAll(other.stream().map(e -> e.chunk().text()).toList());
        Map<EmbeddedChunk, EmbeddedChunk> again = new IdentityHashMap<>();
        for (int i = 0; i < other.size(); i++) {
            again.put(other.get(i), new EmbeddedChunk(other.get(i).chunk(), embedder.model(), embedder.dimension(),
                    vectors.get(i)));
        }
        return embeddings.stream().map(e -> again.getOrDefault(e, e)).toList();
    }
}
