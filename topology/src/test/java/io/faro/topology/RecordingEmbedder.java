package io.faro.topology;

import io.faro.core.embed.Embedder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A deterministic embedder that records the size of every batch it was asked to embed. */
public final class RecordingEmbedder implements Embedder {

    public static final int DIMENSION = 4;

    public final List<Integer> batchSizes = new ArrayList<>();
    private Predicate<String> refuses = text -> false;

    /** Makes the embedder fail any batch holding a text the predicate matches. */
    public void refuse(Predicate<String> texts) {
        this.refuses = texts;
    }

    @Override
    public String model() {
        return "test-model";
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public List<float[]> embedAll(List<String> passages) {
        batchSizes.add(passages.size());
        if (passages.stream().anyMatch(refuses)) {
            throw new IllegalStateException("refused");
        }
        List<float[]> vectors = new ArrayList<>();
        for (String text : passages) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            float[] v = new float[DIMENSION];
            for (int i = 0; i < bytes.length; i++) {
                v[i % DIMENSION] += bytes[i];
            }
            vectors.add(v);
        }
        return vectors;
    }

    @Override
    public float[] embedQuery(String query) {
        return embedAll(List.of(query)).getFirst();
    }
}
