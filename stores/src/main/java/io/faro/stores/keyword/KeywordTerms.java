package io.faro.stores.keyword;

import java.util.Map;

/**
 * A chunk's analysed terms, each with how often it occurs ({@code frequencies}, sorted by term), and the
 * number of terms in all ({@code length}): what both stores keep of a chunk for keyword search.
 */
public record KeywordTerms(Map<String, Integer> frequencies, int length) {

    public KeywordTerms {
        frequencies = Map.copyOf(frequencies);
    }

    public boolean isEmpty() {
        return frequencies.isEmpty();
    }
}
