package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.OptimizerStatus;
import io.qdrant.client.grpc.Collections.OptimizersConfigDiff;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Collections.WalConfigDiff;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.UpdateMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One Qdrant collection with a single unnamed dense vector and any number of named sparse vectors (each with or
 * without the IDF modifier): validates dimensions and vector names, stores Cosine vectors normalised, replaces
 * whole points on upsert, and answers exact (brute-force) search, scroll and count; the Query API runs on a
 * {@link #snapshot()}. Every method is atomic with respect to the others.
 */
final class StandInCollection {

    /** One scroll page and the id the next page starts at, or null on the last page. */
    record Page(List<StoredPoint> points, PointKey next) {
    }

    private final int size;
    private final Distance distance;
    private final VectorScoring scoring;
    private final Map<String, SparseVectorParams> sparse;
    private final TreeMap<PointKey, StoredPoint> points = new TreeMap<>();
    private final Map<String, FieldType> fieldIndexes = new LinkedHashMap<>();
    private long lastOperation = -1;

    StandInCollection(int size, Distance distance, Map<String, SparseVectorParams> sparse) {
        if (size < 1 || size > 65536) {
            throw Rpc.wrongInput("vector size must be between 1 and 65536, got " + size);
        }
        if (sparse.containsKey("")) {
            throw Rpc.unsupported("a sparse vector without a name (the unnamed vector is the dense one)");
        }
        this.size = size;
        this.distance = distance;
        this.scoring = new VectorScoring(distance);
        this.sparse = Map.copyOf(sparse);
    }

    /** Validates every point first, then writes them all; returns the operation number. */
    synchronized long upsert(List<PointStruct> structs, UpdateMode mode) {
        List<StoredPoint> parsed = new ArrayList<>(structs.size());
        long operation = lastOperation + 1;
        for (PointStruct struct : structs) {
            if (!struct.hasId()) {
                throw Rpc.wrongInput("PointId is not set");
            }
            PointKey key = PointKey.of(struct.getId());
            PointVectors vectors = PointVectors.of(struct.getVectors(), sparse.keySet());
            parsed.add(new StoredPoint(key, scoring.prepare(checkDimension(vectors.dense())), vectors.sparse(),
                    struct.getPayloadMap(), operation));
        }
        for (StoredPoint point : parsed) {
            boolean exists = points.containsKey(point.key());
            if (mode == UpdateMode.InsertOnly && exists || mode == UpdateMode.UpdateOnly && !exists) {
                continue;
            }
            points.put(point.key(), point);
        }
        return lastOperation = operation;
    }

    synchronized long delete(Collection<PointKey> keys) {
        keys.forEach(points::remove);
        return ++lastOperation;
    }

    synchronized long delete(Predicate<StoredPoint> filter) {
        points.values().removeIf(filter);
        return ++lastOperation;
    }

    synchronized long createFieldIndex(String field, FieldType type) {
        fieldIndexes.put(field, type);
        return ++lastOperation;
    }

    /** Exact nearest-neighbour search on the dense vector, best first, ties broken by id. */
    List<CollectionSnapshot.Hit> search(float[] query, Predicate<StoredPoint> filter, long limit, long offset,
            Float threshold) {
        return snapshot().nearestDense("", query, filter, limit + offset, threshold).stream().skip(offset).toList();
    }

    /** The points as they are now, for a query to read without holding the collection. */
    synchronized CollectionSnapshot snapshot() {
        Map<String, Modifier> modifiers = new LinkedHashMap<>();
        sparse.forEach((name, params) -> modifiers.put(name, params.hasModifier() ? params.getModifier()
                : Modifier.None));
        return new CollectionSnapshot(new ArrayList<>(points.values()), size, scoring, modifiers);
    }

    /** Points matching the filter in id order, starting at {@code from} (inclusive) when given. */
    synchronized Page scroll(Predicate<StoredPoint> filter, PointKey from, int limit) {
        Collection<StoredPoint> candidates = from == null ? points.values() : points.tailMap(from, true).values();
        List<StoredPoint> page = new ArrayList<>();
        for (StoredPoint point : candidates) {
            if (!filter.test(point)) {
                continue;
            }
            if (page.size() == limit) {
                return new Page(page, point.key());
            }
            page.add(point);
        }
        return new Page(page, null);
    }

    synchronized long count(Predicate<StoredPoint> filter) {
        return points.values().stream().filter(filter).count();
    }

    synchronized Optional<StoredPoint> point(PointKey key) {
        return Optional.ofNullable(points.get(key));
    }

    synchronized Set<PointKey> keys() {
        return new TreeSet<>(points.keySet());
    }

    synchronized CollectionInfo info() {
        CollectionParams.Builder params = CollectionParams.newBuilder()
                .setShardNumber(1)
                .setReplicationFactor(1)
                .setWriteConsistencyFactor(1)
                .setOnDiskPayload(true)
                .setVectorsConfig(VectorsConfig.newBuilder()
                        .setParams(VectorParams.newBuilder().setSize(size).setDistance(distance)));
        if (!sparse.isEmpty()) {
            params.setSparseVectorsConfig(SparseVectorConfig.newBuilder().putAllMap(sparse));
        }
        CollectionInfo.Builder info = CollectionInfo.newBuilder()
                .setStatus(CollectionStatus.Green)
                .setOptimizerStatus(OptimizerStatus.newBuilder().setOk(true))
                .setSegmentsCount(1)
                .setPointsCount(points.size())
                .setIndexedVectorsCount(0)
                .setConfig(CollectionConfig.newBuilder()
                        .setParams(params)
                        .setHnswConfig(HnswConfigDiff.newBuilder().setM(16).setEfConstruct(100)
                                .setFullScanThreshold(10000).setOnDisk(false))
                        .setOptimizerConfig(OptimizersConfigDiff.newBuilder().setDeletedThreshold(0.2)
                                .setVacuumMinVectorNumber(1000).setDefaultSegmentNumber(0)
                                .setFlushIntervalSec(5))
                        .setWalConfig(WalConfigDiff.newBuilder().setWalCapacityMb(32).setWalSegmentsAhead(0)));
        fieldIndexes.forEach((field, type) -> info.putPayloadSchema(field, PayloadSchemaInfo.newBuilder()
                .setDataType(schemaType(type))
                .setPoints(count(p -> !PayloadFilter.valuesAt(p.payload(), field).isEmpty()))
                .build()));
        return info.build();
    }

    private float[] checkDimension(float[] vector) {
        if (vector.length != size) {
            throw Rpc.wrongInput("Vector dimension error: expected dim: " + size + ", got " + vector.length);
        }
        return vector;
    }

    private static PayloadSchemaType schemaType(FieldType type) {
        return switch (type) {
            case FieldTypeKeyword -> PayloadSchemaType.Keyword;
            case FieldTypeInteger -> PayloadSchemaType.Integer;
            case FieldTypeFloat -> PayloadSchemaType.Float;
            case FieldTypeGeo -> PayloadSchemaType.Geo;
            case FieldTypeText -> PayloadSchemaType.Text;
            case FieldTypeBool -> PayloadSchemaType.Bool;
            case FieldTypeDatetime -> PayloadSchemaType.Datetime;
            case FieldTypeUuid -> PayloadSchemaType.Uuid;
            case UNRECOGNIZED -> PayloadSchemaType.UnknownType;
        };
    }
}
