package io.faro.bench.scale;

import io.faro.bench.data.NearVectors;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Synthetic vectors in {@link #CLUSTERS} clusters, whatever the texts: each one a random centre (coordinates
 * uniform in -0.5 to 0.5) plus noise ({@link #NOISE} times as wide), normalised. Unlike {@link NearVectors}, whose
 * vectors all sit near the data file's few texts and crowd as their number grows, these grow in pgvector's HNSW
 * build about as the real vectors of real text do: from 30 000 to 300 000, 0.78 × linear against real text's 0.94
 * and the crowded vectors' 1.73, and 0.80 × from 100 000 to 1 000 000
 * ({@code bench/results/experiments/issue17-real-vectors/} and {@code issue17-hnsw-build/}, whose script made them
 * the same way).
 */
final class ClusteredVectors {

    static final int CLUSTERS = 2_000;
    static final double NOISE = 0.6;

    final float[][] centres;

    ClusteredVectors(int dimension) {
        SplittableRandom random = new SplittableRandom(23);
        centres = new float[CLUSTERS][dimension];
        for (float[] centre : centres) {
            for (int i = 0; i < dimension; i++) {
                centre[i] = (float) (random.nextDouble() - 0.5);
            }
        }
    }

    /** {@code count} questions drawn as the chunks' vectors are, from the same centres but a seed of their own. */
    List<float[]> queries(int count) {
        SplittableRandom random = new SplittableRandom(29);
        return Stream.generate(() -> next(random)).limit(count).toList();
    }

    /** A unit vector near a centre drawn by {@code random}. */
    float[] next(SplittableRandom random) {
        float[] centre = centres[random.nextInt(CLUSTERS)];
        float[] vector = new float[centre.length];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = centre[i] + (float) (NOISE * (random.nextDouble() - 0.5));
        }
        return NearVectors.normalize(vector);
    }
}
