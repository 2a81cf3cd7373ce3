package io.faro.gateway.search;

import io.faro.core.embed.Embedder;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.SearchHit;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import io.faro.gateway.http.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Embeds a question and searches the store with it, timing each step. */
public final class Retriever {

    private final Embedder embedder;
    private final VectorStore store;
    private final Timer searchTimer;

    public Retriever(Embedder embedder, VectorStore store, MeterRegistry meters) {
        this.embedder = embedder;
        this.store = store;
        this.searchTimer = Timer.builder(MetricNames.SEARCH_LATENCY_SECONDS)
                .description("Time to search one store for a query vector")
                .tag(MetricNames.TAG_STORE, store.name())
                .publishPercentileHistogram()
                .register(meters);
    }

    /** The hits, best first, with the store that served them and per-step timings in milliseconds. */
    public record Retrieval(List<SearchHit> hits, String servedBy, Map<String, Double> timingsMs) {
    }

    public Retrieval retrieve(String text, int topK) {
        long start = System.nanoTime();
        float[] vector = embedder.embedQuery(text);
        long embedded = System.nanoTime();
        List<SearchHit> hits;
        try {
            hits = store.search(vector, topK);
        } catch (StoreException e) {
            throw ProblemException.unavailable("the " + store.name() + " store cannot be searched right now: "
                    + e.getMessage());
        }
        long searched = System.nanoTime();
        searchTimer.record(searched - embedded, java.util.concurrent.TimeUnit.NANOSECONDS);
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("embed", millis(embedded - start));
        timings.put(store.name(), millis(searched - embedded));
        return new Retrieval(hits, store.name(), timings);
    }

    static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
