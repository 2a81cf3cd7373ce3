package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.Vectors;
import java.util.List;
import java.util.Map;

/**
 * Reads the single unnamed dense vector out of the request shapes Qdrant accepts for it: {@code Vector.dense},
 * the deprecated {@code Vector.data}, or a named-vector map holding only the unnamed ({@code ""}) vector.
 */
final class DenseVectors {

    private DenseVectors() {
    }

    static float[] fromPoint(Vectors vectors) {
        return switch (vectors.getVectorsOptionsCase()) {
            case VECTOR -> fromVector(vectors.getVector());
            case VECTORS -> fromNamed(vectors.getVectors().getVectorsMap());
            case VECTORSOPTIONS_NOT_SET -> throw Rpc.wrongInput("Vector is missing");
        };
    }

    @SuppressWarnings("deprecation")
    static float[] fromVector(Vector vector) {
        return switch (vector.getVectorCase()) {
            case DENSE -> of(vector.getDense().getDataList());
            case VECTOR_NOT_SET -> {
                if (vector.hasIndices()) {
                    throw Rpc.unsupported("sparse vectors");
                }
                if (vector.hasVectorsCount()) {
                    throw Rpc.unsupported("multi-vectors");
                }
                yield of(vector.getDataList());
            }
            default -> throw Rpc.unsupported("vector kind " + vector.getVectorCase());
        };
    }

    static float[] of(DenseVector vector) {
        return of(vector.getDataList());
    }

    static float[] of(List<Float> values) {
        float[] result = new float[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i);
        }
        return result;
    }

    private static float[] fromNamed(Map<String, Vector> named) {
        for (String name : named.keySet()) {
            if (!name.isEmpty()) {
                throw Rpc.wrongInput("Not existing vector name error: " + name);
            }
        }
        Vector unnamed = named.get("");
        if (unnamed == null) {
            throw Rpc.wrongInput("Vector is missing");
        }
        return fromVector(unnamed);
    }
}
