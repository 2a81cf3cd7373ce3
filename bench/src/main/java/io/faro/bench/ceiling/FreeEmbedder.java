package io.faro.bench.ceiling;

import io.faro.core.embed.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An embedding model that costs next to nothing, so that what FARO does around the model (splitting, the topics,
 * the transactions, the JSON, the sinks) is all that is measured. Each text gets the real model's vector of that
 * text, computed once beforehand, moved by a random offset of norm {@value #OFFSET} and normalised again: the
 * benchmark's documents repeat a few hundred paragraphs under other ids, and an index of exact copies would cost
 * less than a real one, while unrelated random vectors (a vector index's hardest case) would cost more. A text
 * not computed beforehand gets a random unit vector.
 */
final class FreeEmbedder implements Embedder {

    /** How far each vector is moved from the real one (cosine about 0.96 to it). */
    static final double OFFSET = 0.3;

    private final String model;
    private final int dimension;
    private final Map<String, float[]> real;

    FreeEmbedder(String model, int dimension, Map<String, float[]> real) {
        this.model = model;
        this.dimension = dimension;
        this.real = Map.copyOf(real);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedAll(List<String> passages) {
        List<float[]> vectors = new ArrayList<>(passages.size());
        for (String passage : passages) {
            vectors.add(vector(passage));
        }
        return vectors;
    }

    @Override
    public float[] embedQuery(String query) {
        return vector(query);
    }

    private float[] vector(String text) {
        Random random = ThreadLocalRandom.current();
        float[] base = real.get(text);
        double[] offset = new double[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            offset[i] = random.nextGaussian();
            norm += offset[i] * offset[i];
        }
        double scale = (base == null ? 1 : OFFSET) / Math.sqrt(norm);
        float[] vector = new float[dimension];
        double length = 0;
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) ((base == null ? 0 : base[i]) + offset[i] * scale);
            length += vector[i] * vector[i];
        }
        float unit = (float) (1 / Math.sqrt(length));
        for (int i = 0; i < dimension; i++) {
            vector[i] *= unit;
        }
        return vector;
    }
}
