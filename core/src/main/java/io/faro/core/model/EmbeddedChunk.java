package io.faro.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A chunk with its vector, as written to {@code faro.embeddings} (keyed by chunk id): the record
 * every store is built from. It names the model and dimension that made the vector.
 */
public record EmbeddedChunk(Chunk chunk, String model, int dimension, float[] vector) {

    public EmbeddedChunk {
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(vector, "vector");
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector has " + vector.length + " values, dimension says " + dimension);
        }
    }

    public String chunkId() {
        return chunk.chunkId();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddedChunk other
                && chunk.equals(other.chunk)
                && model.equals(other.model)
                && dimension == other.dimension
                && Arrays.equals(vector, other.vector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chunk, model, dimension, Arrays.hashCode(vector));
    }

    @Override
    public String toString() {
        return "EmbeddedChunk[" + chunk.chunkId() + ", " + model + ", dim=" + dimension + "]";
    }
}
