package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.Vectors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The vectors of an upserted point: the unnamed dense vector (given alone, or as {@code ""} in a map of named
 * vectors) and the named sparse vectors the collection declares. A name the collection lacks is refused with
 * Qdrant's "Not existing vector name error", and a dense vector under a sparse name (or the reverse) with its
 * "Conversion between sparse and regular vectors failed".
 *
 * @param dense the unnamed dense vector
 * @param sparse the sparse vectors by name
 */
record PointVectors(float[] dense, Map<String, SparseVec> sparse) {

    PointVectors {
        sparse = Map.copyOf(sparse);
    }

    static PointVectors of(Vectors vectors, Set<String> sparseNames) {
        return switch (vectors.getVectorsOptionsCase()) {
            case VECTOR -> new PointVectors(DenseVectors.fromVector(vectors.getVector()), Map.of());
            case VECTORS -> named(vectors.getVectors().getVectorsMap(), sparseNames);
            case VECTORSOPTIONS_NOT_SET -> throw Rpc.wrongInput("Vector is missing");
        };
    }

    private static PointVectors named(Map<String, Vector> named, Set<String> sparseNames) {
        float[] dense = null;
        Map<String, SparseVec> sparse = new LinkedHashMap<>();
        for (Map.Entry<String, Vector> entry : named.entrySet()) {
            String name = entry.getKey();
            if (name.isEmpty()) {
                dense = denseOf(entry.getValue());
            } else if (sparseNames.contains(name)) {
                sparse.put(name, sparseOf(entry.getValue()));
            } else {
                throw Rpc.wrongInput("Not existing vector name error: " + name);
            }
        }
        if (dense == null) {
            throw Rpc.wrongInput("Vector is missing");
        }
        return new PointVectors(dense, sparse);
    }

    @SuppressWarnings("deprecation")
    private static float[] denseOf(Vector vector) {
        if (vector.getVectorCase() == Vector.VectorCase.SPARSE || vector.hasIndices()) {
            throw wrongSparse();
        }
        return DenseVectors.fromVector(vector);
    }

    @SuppressWarnings("deprecation")
    private static SparseVec sparseOf(Vector vector) {
        if (vector.getVectorCase() == Vector.VectorCase.SPARSE) {
            return SparseVec.of(vector.getSparse());
        }
        if (vector.getVectorCase() == Vector.VectorCase.VECTOR_NOT_SET && vector.hasIndices()) {
            return SparseVec.of(vector.getIndices().getDataList(), vector.getDataList());
        }
        throw wrongSparse();
    }

    static RuntimeException wrongSparse() {
        return Rpc.wrongInput("Conversion between sparse and regular vectors failed");
    }
}
