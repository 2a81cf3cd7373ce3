package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.Collections.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A collection's points at one instant (in id order) with exact nearest-neighbour search on its vectors: the
 * unnamed dense vector ({@code ""}) by its distance, and each named sparse vector by dot product. A sparse vector
 * with Qdrant's IDF modifier multiplies each query value, when it searches, by
 * {@code ln((N - df + 0.5) / (df + 0.5) + 1)}, where N is the number of points whose vector of that name is not
 * empty and df how many of them hold the index: over the whole collection, whatever the filter (Qdrant's
 * {@code fancy_idf} in {@code lib/segment/src/data_types/query_context.rs}). A point scores only when it shares an
 * index with the query. Qdrant counts N and df from its segments' inverted indexes, which keep a deleted or
 * rewritten point's old entries until an optimizer rebuilds the segment; the stand-in counts the points as they
 * are, which is what Qdrant converges to.
 */
final class CollectionSnapshot {

    /** A scored point. */
    record Hit(StoredPoint point, float score) {
    }

    private final List<StoredPoint> points;
    private final int size;
    private final VectorScoring scoring;
    private final Map<String, Modifier> sparse;

    CollectionSnapshot(List<StoredPoint> points, int size, VectorScoring scoring, Map<String, Modifier> sparse) {
        this.points = List.copyOf(points);
        this.size = size;
        this.scoring = scoring;
        this.sparse = Map.copyOf(sparse);
    }

    /** Nearest points to a dense query on the vector {@code using}, best first, ties by id. */
    List<Hit> nearestDense(String using, float[] query, Predicate<StoredPoint> filter, long limit, Float threshold) {
        if (!using.isEmpty()) {
            throw sparse.containsKey(using) ? PointVectors.wrongSparse() : notExisting(using);
        }
        if (query.length != size) {
            throw Rpc.wrongInput("Vector dimension error: expected dim: " + size + ", got " + query.length);
        }
        float[] prepared = scoring.prepare(query);
        List<Hit> hits = new ArrayList<>();
        for (StoredPoint point : points) {
            if (filter.test(point)) {
                float score = scoring.score(prepared, point.vector());
                if (threshold == null || scoring.passes(score, threshold)) {
                    hits.add(new Hit(point, score));
                }
            }
        }
        hits.sort((a, b) -> {
            int byScore = scoring.compareBestFirst(a.score(), b.score());
            return byScore != 0 ? byScore : a.point().key().compareTo(b.point().key());
        });
        return hits.stream().limit(limit).toList();
    }

    /** Nearest points to a sparse query on the sparse vector {@code using}, highest dot product first, ties by id. */
    List<Hit> nearestSparse(String using, SparseVec query, Predicate<StoredPoint> filter, long limit,
                            Float threshold) {
        if (!sparse.containsKey(using)) {
            throw using.isEmpty() ? PointVectors.wrongSparse() : notExisting(using);
        }
        if (query.isEmpty()) {
            return List.of();
        }
        float[] weights = sparse.get(using) == Modifier.Idf ? idfWeighted(using, query) : query.values();
        List<Hit> hits = new ArrayList<>();
        for (StoredPoint point : points) {
            SparseVec stored = point.sparse().get(using);
            if (stored == null || !filter.test(point)) {
                continue;
            }
            boolean shares = false;
            float score = 0f;
            for (int i = 0; i < query.indices().length; i++) {
                if (stored.has(query.indices()[i])) {
                    shares = true;
                    score += weights[i] * stored.valueAt(query.indices()[i]);
                }
            }
            if (shares && (threshold == null || score >= threshold)) {
                hits.add(new Hit(point, score));
            }
        }
        hits.sort((a, b) -> {
            int byScore = Float.compare(b.score(), a.score());
            return byScore != 0 ? byScore : a.point().key().compareTo(b.point().key());
        });
        return hits.stream().limit(limit).toList();
    }

    /** The query's values times each index's inverse document frequency over the collection. */
    private float[] idfWeighted(String using, SparseVec query) {
        int documents = 0;
        int[] frequencies = new int[query.indices().length];
        for (StoredPoint point : points) {
            SparseVec stored = point.sparse().get(using);
            if (stored == null || stored.isEmpty()) {
                continue;
            }
            documents++;
            for (int i = 0; i < frequencies.length; i++) {
                if (stored.has(query.indices()[i])) {
                    frequencies[i]++;
                }
            }
        }
        float[] weights = query.values().clone();
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= idf(documents, frequencies[i]);
        }
        return weights;
    }

    /** Qdrant's {@code fancy_idf}, in 32-bit floats as Qdrant computes it. */
    static float idf(float documents, float frequency) {
        return (float) Math.log((documents - frequency + 0.5f) / (frequency + 0.5f) + 1.0f);
    }

    /** Points matching the filter in id order, each scored 0 (a query without a query). */
    List<Hit> byId(Predicate<StoredPoint> filter, long limit) {
        return points.stream().filter(filter).limit(limit).map(point -> new Hit(point, 0f)).toList();
    }

    private static RuntimeException notExisting(String name) {
        return Rpc.wrongInput("Not existing vector name error: " + name);
    }
}
