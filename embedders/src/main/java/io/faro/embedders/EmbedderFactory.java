package io.faro.embedders;

import io.faro.core.embed.Embedder;
import io.faro.core.embed.EmbeddingModelName;
import io.faro.core.embed.Embedders;
import io.faro.embedders.onnx.OnnxEmbedder;

/** Turns a model name into the embedding model that makes its vectors: the one place models are chosen. */
public final class EmbedderFactory {

    private EmbedderFactory() {
    }

    /** The embedder of one model, loaded now. */
    public static Embedder create(EmbeddingModelName model) {
        return OnnxEmbedder.create(model);
    }

    /** Every model this process may need, each loaded on first use. */
    public static Embedders embedders() {
        return new Embedders(model -> create(EmbeddingModelName.parse(model, "model")));
    }
}
