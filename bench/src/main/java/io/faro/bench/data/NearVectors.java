package io.faro.bench.data;

import io.faro.embedders.onnx.OnnxEmbedder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Vectors near the real model's, for benchmarks that need many more vectors than the data file has texts: the
 * model embeds each distinct text once, and each vector asked for is that text's vector moved by {@link #OFFSET}
 * in a given direction and normalised again (cosine about 0.96 to it). The data file's texts repeat, so copies
 * of a vector would fill an index that costs less than a real one; unrelated random vectors, a vector index's
 * hardest case (no neighbourhoods to follow), would cost more (pgvector took random ones at 140 to 177 a second
 * at 100 000 chunks, these at about 870 at 9 000). They crowd as their number grows past the texts': a million of
 * them around 109 texts made pgvector's HNSW build 1.93 × linear from 100 000, where vectors in 2 000 clusters made
 * it 0.80 × ({@code bench/results/experiments/issue17-hnsw-build/}).
 */
public final class NearVectors {

    /** How far each vector is moved from the real one. */
    public static final double OFFSET = 0.3;
    private static final int BATCH = 32;

    private final Map<String, float[]> real;

    private NearVectors(Map<String, float[]> real) {
        this.real = Map.copyOf(real);
    }

    /** Embeds each distinct text once with the model. */
    public static NearVectors of(OnnxEmbedder model, Collection<String> texts) {
        List<String> distinct = texts.stream().distinct().toList();
        List<float[]> embedded = embed(model, distinct);
        Map<String, float[]> vectors = new HashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            vectors.put(distinct.get(i), embedded.get(i));
        }
        return new NearVectors(vectors);
    }

    /** The model's vector of each text, in order. */
    public static List<float[]> embed(OnnxEmbedder model, List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += BATCH) {
            vectors.addAll(model.embedAll(texts.subList(from, Math.min(from + BATCH, texts.size()))));
        }
        return vectors;
    }

    /**
     * The text's real vector moved by {@link #OFFSET} along {@code direction} (a unit vector), as a unit vector; for a
     * text not embedded beforehand, the direction itself.
     */
    public float[] near(String text, float[] direction) {
        float[] base = real.get(text);
        float[] vector = new float[direction.length];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = base == null ? direction[i] : base[i] + (float) OFFSET * direction[i];
        }
        return normalize(vector);
    }

    /** Scales {@code vector} to length 1, in place; returns it. */
    public static float[] normalize(float[] vector) {
        double length = 0;
        for (float x : vector) {
            length += x * x;
        }
        float unit = (float) (1 / Math.sqrt(length));
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= unit;
        }
        return vector;
    }
}
