package io.faro.gateway;

import io.faro.core.embed.Embedder;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test double: a deterministic bag-of-words embedder. Each lower-cased word adds one to the bucket
 * its hash falls in; the vector is then scaled to unit length. Same text, same vector, always.
 */
public final class HashingEmbedder implements Embedder {

    static final int DIMENSION = 8;

    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    @Override
    public String model() {
        return "test-hashing-bow";
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public List<float[]> embedAll(List<String> passages) {
        return passages.stream().map(HashingEmbedder::embed).toList();
    }

    @Override
    public float[] embedQuery(String query) {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
        return embed(query);
    }

    /** From now on, {@link #embedQuery} throws this (null: works again). */
    void failWith(RuntimeException e) {
        failure.set(e);
    }

    static float[] embed(String text) {
        float[] vector = new float[DIMENSION];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                vector[Math.floorMod(word.hashCode(), DIMENSION)] += 1f;
            }
        }
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) (vector[i] / norm);
            }
        }
        return vector;
    }

    /** This embedder, holding every question until {@code release} opens (passages pass at once). */
    public Embedder heldUntil(CountDownLatch release) {
        HashingEmbedder inner = this;
        return new Embedder() {
            @Override
            public String model() {
                return inner.model();
            }

            @Override
            public int dimension() {
                return inner.dimension();
            }

            @Override
            public List<float[]> embedAll(List<String> passages) {
                return inner.embedAll(passages);
            }

            @Override
            public float[] embedQuery(String query) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return inner.embedQuery(query);
            }
        };
    }
}
