package io.faro.core.store;

import java.util.Arrays;
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
