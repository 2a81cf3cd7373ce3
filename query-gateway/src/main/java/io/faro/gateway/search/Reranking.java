package io.faro.gateway.search;

import io.faro.core.config.FaroConfig.RerankSettings;
import io.faro.core.rerank.Reranker;
import java.time.Duration;
import java.util.Objects;

/**
 * The reranker a gateway reorders its hits with, how long a search waits for it ({@code FARO_RERANK_TIMEOUT_MS})
 * and how many fused hits it is given at least ({@code FARO_RERANK_CANDIDATES}). Whoever made the reranker closes
 * it; the gateway only asks it.
 */
public record Reranking(Reranker reranker, Duration deadline, int candidates) {

    public Reranking {
        Objects.requireNonNull(reranker, "reranker");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the rerank deadline must be positive, was " + deadline);
        }
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates must be at least 1, was " + candidates);
        }
    }

    /** {@code reranker}, made from {@code settings}, with their deadline and candidates. */
    public static Reranking of(Reranker reranker, RerankSettings settings) {
        return new Reranking(reranker, Duration.ofMillis(settings.timeoutMs()), settings.candidates());
    }
}
