package io.faro.core.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.List;

/** An in-process ONNX model from LangChain4j: no network, no key; the weights ship in a Maven artifact. */
public final class OnnxEmbedder implements Embedder {

    private final EmbeddingModelName name;
    private final EmbeddingModel model;

    private OnnxEmbedder(EmbeddingModelName name, EmbeddingModel model) {
        this.name = name;
        this.model = model;
    }

    public static OnnxEmbedder create(EmbeddingModelName name) {
        EmbeddingModel model = switch (name) {
            case ALL_MINILM_L6_V2 -> new AllMiniLmL6V2EmbeddingModel();
            case BGE_SMALL_EN_V15_Q -> new BgeSmallEnV15QuantizedEmbeddingModel();
        };
        return new OnnxEmbedder(name, model);
    }

    @Override
    public String model() {
        return name.id();
    }

    @Override
    public int dimension() {
        return name.dimension();
    }

    @Override
    public List<float[]> embedAll(List<String> passages) {
        if (passages.isEmpty()) {
            return List.of();
        }
        try {
            List<Embedding> embeddings = model.embedAll(passages.stream().map(TextSegment::from).toList()).content();
            return embeddings.stream().map(Embedding::vector).toList();
        } catch (RuntimeException e) {
            throw new EmbeddingException("model " + name.id() + " failed to embed " + passages.size() + " texts", e);
        }
    }

    @Override
    public float[] embedQuery(String query) {
        return embedAll(List.of(name.queryPrefix() + query)).getFirst();
    }
}
