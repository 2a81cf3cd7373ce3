package io.faro.stores.testing.qdrant;

import io.qdrant.client.grpc.Collections.Distance;

/**
 * Qdrant's distance functions: Cosine vectors are normalised when stored and when queried so the score is
 * their dot product; Dot is the raw dot product; Euclid and Manhattan return the distance (smaller is better).
 */
final class VectorScoring {

    private static final float EPSILON = Math.ulp(1.0f);

    private final Distance distance;

    VectorScoring(Distance distance) {
        switch (distance) {
            case Cosine, Dot, Euclid, Manhattan -> this.distance = distance;
            default -> throw Rpc.wrongInput("unknown distance " + distance);
        }
    }

    /** The vector as Qdrant stores (or compares) it: a normalised copy for Cosine, an unchanged copy else. */
    float[] prepare(float[] vector) {
        float[] copy = vector.clone();
        if (distance != Distance.Cosine) {
            return copy;
        }
        float squares = 0;
        for (float x : copy) {
            squares += x * x;
        }
        if (squares < EPSILON || Math.abs(squares - 1.0f) <= 1.0e-6f) {
            return copy;
        }
        float length = (float) Math.sqrt(squares);
        for (int i = 0; i < copy.length; i++) {
            copy[i] /= length;
        }
        return copy;
    }

    /** Scores a prepared query against a stored vector. */
    float score(float[] query, float[] stored) {
        double sum = 0;
        for (int i = 0; i < query.length; i++) {
            double d = query[i] - stored[i];
            sum += switch (distance) {
                case Euclid -> d * d;
                case Manhattan -> Math.abs(d);
                default -> (double) query[i] * stored[i];
            };
        }
        return (float) (distance == Distance.Euclid ? Math.sqrt(sum) : sum);
    }

    boolean higherIsBetter() {
        return distance == Distance.Cosine || distance == Distance.Dot;
    }

    /** Whether a score passes a score_threshold: at least it for similarities, at most it for distances. */
    boolean passes(float score, float threshold) {
        return higherIsBetter() ? score >= threshold : score <= threshold;
    }

    /** Orders scores best first. */
    int compareBestFirst(float a, float b) {
        return higherIsBetter() ? Float.compare(b, a) : Float.compare(a, b);
    }
}
