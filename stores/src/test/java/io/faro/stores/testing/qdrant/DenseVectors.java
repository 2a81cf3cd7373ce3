package io.faro.stores.testing.qdrant;

import io.grpc.Status;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.Vector;
import java.util.List;

/**
 * Reads a dense vector out of the request shapes Qdrant accepts for it: {@code Vector.dense}, or the deprecated
 * {@code Vector.data}; a sparse vector where a dense one belongs is refused as Qdrant refuses it.
 */
final class DenseVectors {

    private DenseVectors() {
    }

    @SuppressWarnings("deprecation")
    static float[] fromVector(Vector vector) {
        return switch (vector.getVectorCase()) {
            case DENSE -> of(vector.getDense().getDataList());
            case SPARSE -> throw sparseMustBeNamed();
            case VECTOR_NOT_SET -> {
                if (vector.hasIndices()) {
                    throw sparseMustBeNamed();
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

    /** Qdrant's gRPC conversion of an unnamed sparse vector (a status of its own, without "Wrong input"). */
    private static RuntimeException sparseMustBeNamed() {
        return Status.INVALID_ARGUMENT.withDescription("Sparse vector must be named").asRuntimeException();
    }
}
