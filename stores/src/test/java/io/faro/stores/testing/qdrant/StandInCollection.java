package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.OptimizerStatus;
import io.qdrant.client.grpc.Collections.OptimizersConfigDiff;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
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
 * One Qdrant collection with a single unnamed dense vector: validates dimensions, stores Cosine vectors
 * normalised, replaces points on upsert, and answers exact (brute-force) search, scroll and count. Every
 * method is atomic with respect to the others.
 */
final class StandInCollection {

    /** A search hit. */
    record Hit(StoredPoint point, float score) {
    }

    /** One scroll page and the id the next page starts at, or null on the last page. */
    record Page(List<StoredPoint> points, PointKey next) {
    }

    private final int size;
    private final Distance distance;
    private final VectorScoring scoring;
    private final TreeMap<PointKey, StoredPoint> points = new TreeMap<>();
    private final Map<String, FieldType> fieldIndexes = new LinkedHashMap<>();
    private long lastOperation = -1;

    StandInCollection(int size, Distance distance) {
        if (size < 1 || size > 65536) {
            throw Rpc.wrongInput("vector size must be between 1 and 65536, got " + size);
        }
        this.size = size;
        this.distance = distance;
        this.scoring = new VectorScoring(distance);
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
            float[] vector = checkDimension(DenseVectors.fromPoint(struct.getVectors()));
            parsed.add(new StoredPoint(key, scoring.prepare(vector), struct.getPayloadMap(), operation));
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

    /** Exact nearest-neighbour search, best first, ties broken by id. */
    synchronized List<Hit> search(float[] query, Predicate<StoredPoint> filter, long limit, long offset,
            Float threshold) {
        float[] prepared = scoring.prepare(checkDimension(query));
        List<Hit> hits = new ArrayList<>();
        for (StoredPoint point : points.values()) {
            if (!filter.test(point)) {
                continue;
            }
            float score = scoring.score(prepared, point.vector());
            if (threshold == null || scoring.passes(score, threshold)) {
                hits.add(new Hit(point, score));
            }
        }
        hits.sort((a, b) -> {
            int byScore = scoring.compareBestFirst(a.score(), b.score());
            return byScore != 0 ? byScore : a.point().key().compareTo(b.point().key());
        });
        return hits.stream().skip(offset).limit(limit).toList();
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
        CollectionInfo.Builder info = CollectionInfo.newBuilder()
                .setStatus(CollectionStatus.Green)
                .setOptimizerStatus(OptimizerStatus.newBuilder().setOk(true))
                .setSegmentsCount(1)
                .setPointsCount(points.size())
                .setIndexedVectorsCount(0)
                .setConfig(CollectionConfig.newBuilder()
                        .setParams(CollectionParams.newBuilder()
                                .setShardNumber(1)
                                .setReplicationFactor(1)
                                .setWriteConsistencyFactor(1)
                                .setOnDiskPayload(true)
                                .setVectorsConfig(VectorsConfig.newBuilder()
                                        .setParams(VectorParams.newBuilder().setSize(size).setDistance(distance))))
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
