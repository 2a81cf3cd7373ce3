package io.faro.bench.ceiling;

import io.faro.bench.data.NearVectors;
import io.faro.core.embed.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An embedding model that costs next to nothing, so that what FARO does around the model (splitting, the topics,
 * the transactions, the JSON, the sinks) is all that is measured: each text gets a vector near the real model's
 * vector of it ({@link NearVectors}, embedded beforehand), moved in one of {@value #DIRECTIONS} random directions
 * made at start, so a vector costs an addition.
 */
final class FreeEmbedder implements Embedder {

    private static final int DIRECTIONS = 16_384;

    private final String model;
    private final int dimension;
    private final NearVectors near;
    private final float[][] directions;

    FreeEmbedder(String model, int dimension, NearVectors near) {
        this.model = model;
        this.dimension = dimension;
        this.near = near;
        this.directions = directions(dimension);
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
            vectors.add(embedQuery(passage));
        }
        return vectors;
    }

    @Override
    public float[] embedQuery(String text) {
        return near.near(text, directions[ThreadLocalRandom.current().nextInt(directions.length)]);
    }

    private static float[][] directions(int dimension) {
        Random random = new Random(17);
        float[][] directions = new float[DIRECTIONS][dimension];
        for (float[] direction : directions) {
            for (int i = 0; i < dimension; i++) {
                direction[i] = (float) random.nextGaussian();
            }
            NearVectors.normalize(direction);
        }
        return directions;
    }
}
