package io.faro.gateway.search;

import io.faro.core.config.FaroConfig.SearchSettings;
import io.faro.core.embed.Embedder;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.VectorStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Embeds a question and searches the stores with it, timing each step. */
public final class Retriever implements AutoCloseable {

    private final Embedder embedder;
    private final DualSearch search;

    public Retriever(Embedder embedder, VectorStore primary, Optional<VectorStore> shadow, SearchSettings settings,
                     MeterRegistry meters) {
        this.embedder = embedder;
        this.search = new DualSearch(primary, shadow, settings, new SearchMetrics(meters),
                RandomGenerator.getDefault());
    }

    /** The outcome of the search, with the embedding time first among the timings. */
    public record Retrieval(DualSearch.Outcome outcome, Map<String, Double> timingsMs) {
    }

    public Retrieval retrieve(String text, int topK, MetadataFilter filter) {
        long start = System.nanoTime();
        float[] vector = embedder.embedQuery(text);
        long embedded = System.nanoTime();
        DualSearch.Outcome outcome = search.search(vector, topK, filter);
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("embed", millis(embedded - start));
        timings.putAll(outcome.storeMillis());
        return new Retrieval(outcome, timings);
    }

    static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    @Override
    public void close() {
        search.close();
    }
}
