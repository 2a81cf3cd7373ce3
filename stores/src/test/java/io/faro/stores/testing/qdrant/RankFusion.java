package io.faro.stores.testing.qdrant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Qdrant's reciprocal rank fusion ({@code rrf_scoring} in {@code lib/segment/src/common/reciprocal_rank_fusion.rs}):
 * a point at 0-based position {@code p} of a source list of weight {@code w} adds
 * {@code 1 / ((p + 1) / w + k - 1)} to its score, in 32-bit floats, a weight of 0 or less adding nothing; the
 * fused score replaces the point's score, and the list is sorted by it, best first (Qdrant leaves ties in no
 * particular order; here they go by id). Weights, when given, must be one per source.
 */
final class RankFusion {

    /** Qdrant's {@code DEFAULT_RRF_K}: the k of {@code Fusion.RRF} and of an {@code Rrf} without one. */
    static final int DEFAULT_K = 2;

    private RankFusion() {
    }

    static List<CollectionSnapshot.Hit> rrf(List<List<CollectionSnapshot.Hit>> sources, int k, List<Float> weights) {
        if (!weights.isEmpty() && weights.size() != sources.size()) {
            throw Rpc.validationFailed("Number of weights in RRF should match number of pre-fetches: got "
                    + weights.size() + ", expected " + sources.size());
        }
        Map<PointKey, CollectionSnapshot.Hit> fused = new LinkedHashMap<>();
        for (int source = 0; source < sources.size(); source++) {
            float weight = weights.isEmpty() ? 1.0f : weights.get(source);
            List<CollectionSnapshot.Hit> list = sources.get(source);
            for (int position = 0; position < list.size(); position++) {
                CollectionSnapshot.Hit hit = list.get(position);
                float score = positionScore(position, k, weight);
                fused.merge(hit.point().key(), new CollectionSnapshot.Hit(hit.point(), score),
                        (known, added) -> new CollectionSnapshot.Hit(known.point(), known.score() + added.score()));
            }
        }
        List<CollectionSnapshot.Hit> ranked = new ArrayList<>(fused.values());
        ranked.sort((a, b) -> {
            int byScore = Float.compare(b.score(), a.score());
            return byScore != 0 ? byScore : a.point().key().compareTo(b.point().key());
        });
        return ranked;
    }

    static float positionScore(int position, int k, float weight) {
        if (weight <= 0.0f) {
            return 0.0f;
        }
        return 1.0f / ((position + 1) / weight + (float) k - 1.0f);
    }
}
