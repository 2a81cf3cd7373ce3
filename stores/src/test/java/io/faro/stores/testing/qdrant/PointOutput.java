package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.NamedVectorsOutput;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.VectorsOutput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders stored points into Qdrant's result messages, honouring {@code with_payload} (enable, include or
 * exclude of top-level keys) and {@code with_vectors} (all, or the names included), each with the default the
 * calling RPC has in Qdrant. A point with only its unnamed dense vector comes back as one vector; a point that
 * also has sparse vectors comes back as named vectors, the dense one under {@code ""}.
 */
final class PointOutput {

    private final boolean payloadByDefault;
    private final WithPayloadSelector payload;
    private final boolean hasPayload;
    private final WithVectorsSelector vectors;
    private final boolean hasVectors;

    PointOutput(boolean payloadByDefault, boolean hasPayload, WithPayloadSelector payload, boolean hasVectors,
            WithVectorsSelector vectors) {
        this.payloadByDefault = payloadByDefault;
        this.hasPayload = hasPayload;
        this.payload = payload;
        this.hasVectors = hasVectors;
        this.vectors = vectors;
    }

    ScoredPoint scored(StoredPoint point, float score) {
        ScoredPoint.Builder builder = ScoredPoint.newBuilder().setId(point.key().toProto()).setScore(score)
                .setVersion(point.version()).putAllPayload(payloadOf(point));
        if (includeVector()) {
            builder.setVectors(vectorOf(point));
        }
        return builder.build();
    }

    RetrievedPoint retrieved(StoredPoint point) {
        RetrievedPoint.Builder builder = RetrievedPoint.newBuilder().setId(point.key().toProto())
                .putAllPayload(payloadOf(point));
        if (includeVector()) {
            builder.setVectors(vectorOf(point));
        }
        return builder.build();
    }

    private Map<String, Value> payloadOf(StoredPoint point) {
        if (!hasPayload) {
            return payloadByDefault ? point.payload() : Map.of();
        }
        return switch (payload.getSelectorOptionsCase()) {
            case ENABLE -> payload.getEnable() ? point.payload() : Map.of();
            case INCLUDE -> select(point.payload(), payload.getInclude().getFieldsList(), true);
            case EXCLUDE -> select(point.payload(), payload.getExclude().getFieldsList(), false);
            case SELECTOROPTIONS_NOT_SET -> payloadByDefault ? point.payload() : Map.of();
        };
    }

    private static Map<String, Value> select(Map<String, Value> all, List<String> keys, boolean keep) {
        Map<String, Value> selected = new LinkedHashMap<>();
        all.forEach((key, value) -> {
            if (keys.contains(key) == keep) {
                selected.put(key, value);
            }
        });
        return selected;
    }

    private boolean includeVector() {
        if (!hasVectors) {
            return false;
        }
        return switch (vectors.getSelectorOptionsCase()) {
            case ENABLE -> vectors.getEnable();
            case INCLUDE -> !vectors.getInclude().getNamesList().isEmpty();
            case SELECTOROPTIONS_NOT_SET -> false;
        };
    }

    private boolean includes(String name) {
        return vectors.getSelectorOptionsCase() != WithVectorsSelector.SelectorOptionsCase.INCLUDE
                || vectors.getInclude().getNamesList().contains(name);
    }

    private VectorsOutput vectorOf(StoredPoint point) {
        if (point.sparse().isEmpty() && includes("")) {
            return VectorsOutput.newBuilder().setVector(denseOf(point)).build();
        }
        NamedVectorsOutput.Builder named = NamedVectorsOutput.newBuilder();
        if (includes("")) {
            named.putVectors("", denseOf(point));
        }
        point.sparse().forEach((name, sparse) -> {
            if (includes(name)) {
                named.putVectors(name, sparse.toOutput());
            }
        });
        return VectorsOutput.newBuilder().setVectors(named).build();
    }

    @SuppressWarnings("deprecation")
    private static VectorOutput denseOf(StoredPoint point) {
        DenseVector.Builder dense = DenseVector.newBuilder();
        VectorOutput.Builder output = VectorOutput.newBuilder();
        for (float x : point.vector()) {
            dense.addData(x);
            output.addData(x);
        }
        return output.setDense(dense).build();
    }
}
