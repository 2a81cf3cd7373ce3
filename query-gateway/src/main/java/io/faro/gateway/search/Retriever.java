package io.faro.gateway.search;

import io.faro.core.config.FaroConfig.SearchSettings;
import io.faro.core.embed.Embedders;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.VectorStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Embeds a question and searches the stores with it, timing each step. */
public final class Retriever implements AutoCloseable {

    private final Embedders embedders;
    private final DualSearch search;

    /** {@code model} is the model the stores hold at start; {@code embedders} supply it and any model switched to. */
    public Retriever(Embedders embedders, String model, VectorStore primary, Optional<VectorStore> shadow,
                     SearchSettings settings, MeterRegistry meters) {
        this.embedders = embedders;
        this.search = new DualSearch(primary, shadow, model, settings, new SearchMetrics(meters),
                RandomGenerator.getDefault());
    }

    /** The outcome of the search, with the embedding time first among the timings. */
    public record Retrieval(DualSearch.Outcome outcome, Map<String, Double> timingsMs) {
    }

    public Retrieval retrieve(String text, int topK, MetadataFilter filter) {
        QueryVectors vectors = new QueryVectors(model -> embedders.get(model).embedQuery(text));
        long start = System.nanoTime();
        vectors.forModel(search.primaryModel());
        long embedded = System.nanoTime();
        DualSearch.Outcome outcome = search.search(vectors, topK, filter);
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
