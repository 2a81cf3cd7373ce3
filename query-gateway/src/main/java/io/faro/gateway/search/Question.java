package io.faro.gateway.search;

import io.faro.core.store.MetadataFilter;
import io.faro.core.store.SearchMode;
import io.faro.core.store.StoreQuery;
import java.util.Objects;

/**
 * One search as a request asked for it: the question's text, how to search (dense, keyword or hybrid), how many
 * hits, within which filter and scope, and whether to explain each hit's ranks. Every store it goes to (primary,
 * shadow, fallback) runs the same query, each with the question embedded by the model it holds.
 */
public record Question(String text, SearchMode mode, int topK, MetadataFilter filter, boolean explain) {

    public Question {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(filter, "filter");
    }

    /** A dense search without explanations, as FARO searched before it had modes. */
    public static Question dense(String text, int topK, MetadataFilter filter) {
        return new Question(text, SearchMode.DENSE, topK, filter, false);
    }

    /** The same question, asking a store for {@code more} hits (a reranker's candidates). */
    Question withTopK(int more) {
        return new Question(text, mode, more, filter, explain);
    }

    /** What one store is asked: {@code vector} is the question embedded by its model, or null in keyword mode. */
    StoreQuery toStore(float[] vector) {
        return new StoreQuery(mode, mode.usesVector() ? vector : null, text, topK, filter, explain);
    }
}
