package io.faro.gateway.search;

import io.faro.core.config.FaroConfig.SearchSettings;
import io.faro.core.embed.Embedders;
import io.faro.core.model.SearchHit;
import io.faro.core.store.SearchMode;
import io.faro.core.store.VectorStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Embeds a question (unless it is searched by keywords alone, which costs no model time), searches the stores with
 * it, and has the reranker, when there is one, reorder the hits; timing each step.
 */
public final class Retriever implements AutoCloseable {

    private final Embedders embedders;
    private final DualSearch search;
    private final RerankStep rerank;

    /** {@code model} is the model the stores hold at start; {@code embedders} supply it and any model switched to. */
    public Retriever(Embedders embedders, String model, VectorStore primary, Optional<VectorStore> shadow,
                     SearchSettings settings, MeterRegistry meters) {
        this(embedders, model, primary, shadow, settings, Optional.empty(), meters);
    }

    /** With the hits reranked by {@code reranking}, when it is present. */
    public Retriever(Embedders embedders, String model, VectorStore primary, Optional<VectorStore> shadow,
                     SearchSettings settings, Optional<Reranking> reranking, MeterRegistry meters) {
        this.embedders = embedders;
        this.search = new DualSearch(primary, shadow, model, settings, new SearchMetrics(meters),
                RandomGenerator.getDefault());
        this.rerank = new RerankStep(reranking, meters);
    }

    /**
     * What a search found and how: the store's outcome, the hits to return (reranked, at most {@code top_k}), what
     * the reranker did when there is one, and the time of each step (embedding first, when it happened).
     */
    public record Retrieval(DualSearch.Outcome outcome, SearchMode mode, List<SearchHit> hits,
                            Optional<RerankStep.Outcome> rerank, Map<String, Double> timingsMs) {
    }

    public Retrieval retrieve(Question question) {
        QueryVectors vectors = new QueryVectors(model -> embedders.get(model).embedQuery(question.text()));
        Map<String, Double> timings = new LinkedHashMap<>();
        if (question.mode().usesVector()) {
            long start = System.nanoTime();
            vectors.forModel(search.primaryModel());
            timings.put("embed", millis(System.nanoTime() - start));
        }
        DualSearch.Outcome outcome = search.search(vectors, question.withTopK(rerank.fetch(question.topK())));
        timings.putAll(outcome.storeMillis());
        RerankStep.Reranked reranked = rerank.apply(question.text(), outcome.hits(), question.topK());
        reranked.outcome().ifPresent(done -> timings.put("rerank", done.millis()));
        return new Retrieval(outcome, question.mode(), reranked.hits(), reranked.outcome(), timings);
    }

    static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    @Override
    public void close() {
        rerank.close();
        search.close();
    }
}
