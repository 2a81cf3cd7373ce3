package io.faro.stores.testing.qdrant;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.VectorOutput;
import java.util.Arrays;
import java.util.List;

/**
 * A sparse vector as Qdrant keeps it: indices (uint32, compared as unsigned) sorted ascending with their values.
 * Qdrant refuses indices and values of different lengths and an index given twice; it sorts the rest.
 *
 * @param indices ascending as unsigned numbers; never modified after construction
 * @param values the value at each index
 */
record SparseVec(int[] indices, float[] values) {

    static final SparseVec EMPTY = new SparseVec(new int[0], new float[0]);

    static SparseVec of(SparseVector sparse) {
        return of(sparse.getIndicesList(), sparse.getValuesList());
    }

    /** Validates as Qdrant does (lengths match, indices unique) and sorts by index. */
    static SparseVec of(List<Integer> indices, List<Float> values) {
        if (indices.size() != values.size()) {
            throw invalid("values: must be the same length as indices");
        }
        Integer[] order = new Integer[indices.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compareUnsigned(indices.get(a), indices.get(b)));
        int[] sortedIndices = new int[order.length];
        float[] sortedValues = new float[order.length];
        for (int i = 0; i < order.length; i++) {
            sortedIndices[i] = indices.get(order[i]);
            sortedValues[i] = values.get(order[i]);
            if (i > 0 && sortedIndices[i] == sortedIndices[i - 1]) {
                throw invalid("indices: must be unique");
            }
        }
        return new SparseVec(sortedIndices, sortedValues);
    }

    boolean isEmpty() {
        return indices.length == 0;
    }

    /** Whether the vector has a value at this index. */
    boolean has(int index) {
        return position(index) >= 0;
    }

    /** The value at this index, or 0 where the vector has none. */
    float valueAt(int index) {
        int position = position(index);
        return position < 0 ? 0f : values[position];
    }

    private int position(int index) {
        int low = 0;
        int high = indices.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int compared = Integer.compareUnsigned(indices[mid], index);
            if (compared == 0) {
                return mid;
            }
            if (compared < 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return -1;
    }

    VectorOutput toOutput() {
        SparseVector.Builder sparse = SparseVector.newBuilder();
        for (int i = 0; i < indices.length; i++) {
            sparse.addIndices(indices[i]).addValues(values[i]);
        }
        return VectorOutput.newBuilder().setSparse(sparse).build();
    }

    /** Qdrant validates request bodies before it runs them, and answers a bad one with the field at fault. */
    private static StatusRuntimeException invalid(String what) {
        return Status.INVALID_ARGUMENT.withDescription("Validation error in body: [sparse vector " + what + "]")
                .asRuntimeException();
    }
}
