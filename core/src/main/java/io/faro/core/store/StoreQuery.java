package io.faro.core.store;

import java.util.Objects;

/**
 * One search against one store.
 *
 * @param mode    dense, keyword or hybrid
 * @param vector  the question embedded by the store's live model; {@code null} in {@link SearchMode#KEYWORD} mode
 * @param text    the question as asked: the store analyses it into terms with the same analyser as its chunks
 * @param topK    how many hits to return, best first
 * @param filter  metadata conditions and the caller's access scope, applied inside the store in every mode
 * @param explain whether each hit should carry its dense and keyword ranks and scores before fusion
 *                ({@link io.faro.core.model.SearchHit#ranks()})
 */
public record StoreQuery(SearchMode mode, float[] vector, String text, int topK, MetadataFilter filter,
                         boolean explain) {

    public StoreQuery {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(filter, "filter");
        text = text == null ? "" : text;
        if (mode.usesVector() && vector == null) {
            throw new IllegalArgumentException(mode.wireName() + " search needs the question's vector");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, was " + topK);
        }
    }

    /** A dense search, as FARO did before keyword search existed. */
    public static StoreQuery dense(float[] vector, int topK, MetadataFilter filter) {
        return new StoreQuery(SearchMode.DENSE, vector, "", topK, filter, false);
    }

    /** This query with another vector (the question embedded by the model a store switched to). */
    public StoreQuery withVector(float[] other) {
        return new StoreQuery(mode, other, text, topK, filter, explain);
    }
}
