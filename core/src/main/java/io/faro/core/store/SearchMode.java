package io.faro.core.store;

import io.faro.core.model.SearchHit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a store finds chunks for a question: by meaning ({@link #DENSE}, the question's vector against the
 * chunks' vectors), by words ({@link #KEYWORD}, BM25 over the chunks' analysed terms), or both fused into one
 * ranking ({@link #HYBRID}, reciprocal rank fusion of the two lists, done inside the store in one call).
 */
public enum SearchMode {
    DENSE, KEYWORD, HYBRID;

    /** The name requests, responses, metrics and configuration use: {@code dense}, {@code keyword}, {@code hybrid}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the question's vector takes part (so the question must be embedded). */
    public boolean usesVector() {
        return this != KEYWORD;
    }

    /** Whether the question's words take part. */
    public boolean usesKeywords() {
        return this != DENSE;
    }

    /**
     * The hits of a dense or keyword search, each explained by its own place (from 1) and score in the one list
     * that search makes: how a store answers {@link StoreQuery#explain()} outside hybrid search, where the ranks
     * before fusion come from the store's two lists.
     */
    public List<SearchHit> explainInOrder(List<SearchHit> hits) {
        if (this == HYBRID) {
            throw new IllegalStateException("a hybrid search's ranks come from both of its lists, not its order");
        }
        List<SearchHit> explained = new ArrayList<>(hits.size());
        for (SearchHit hit : hits) {
            int rank = explained.size() + 1;
            explained.add(hit.withRanks(this == DENSE ? new SearchHit.Ranks(rank, hit.score(), null, null)
                    : new SearchHit.Ranks(null, null, rank, hit.score())));
        }
        return explained;
    }

    /**
     * The mode a request or variable names.
     *
     * @throws IllegalArgumentException naming the modes there are, when {@code name} is none of them
     */
    public static SearchMode parse(String name) {
        for (SearchMode mode : values()) {
            if (mode.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown search mode '" + name + "': use one of " + names());
    }

    /** {@code dense, keyword, hybrid}. */
    public static String names() {
        return Arrays.stream(values()).map(SearchMode::wireName).collect(Collectors.joining(", "));
    }
}
