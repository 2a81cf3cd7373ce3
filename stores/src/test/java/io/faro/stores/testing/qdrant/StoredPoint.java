package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.Map;

/**
 * One point as Qdrant stores it after an upsert: id, the (for Cosine already normalised) dense vector, the
 * named sparse vectors, the payload, and the number of the operation that last wrote it (Qdrant's point version).
 *
 * @param key the point id
 * @param vector the stored dense vector; never modified after construction
 * @param sparse the sparse vectors by name, immutable (a point may lack any of them)
 * @param payload the payload, immutable
 * @param version the operation number of the last write
 */
record StoredPoint(PointKey key, float[] vector, Map<String, SparseVec> sparse, Map<String, Value> payload,
                   long version) {

    StoredPoint {
        sparse = Map.copyOf(sparse);
        payload = Map.copyOf(payload);
    }
}
