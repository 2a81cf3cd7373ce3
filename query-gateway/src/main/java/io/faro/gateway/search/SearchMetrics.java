package io.faro.gateway.search;

import io.faro.core.metrics.MetricNames;
import io.faro.core.store.SearchMode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The gateway's search measurements: latency per store and mode, agreement of the two stores, fallbacks. */
final class SearchMetrics {

    private final MeterRegistry meters;
    private final DistributionSummary overlap;

    /** The {@code store} label of the shadow counters when there is no shadow store (pgvector alone). */
    static final String NO_SHADOW = "none";

    SearchMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.overlap = DistributionSummary.builder(MetricNames.SEARCH_OVERLAP_RATIO)
                .description("Share of the primary's top-k that the shadow store also returned")
                .serviceLevelObjectives(0.5, 0.8, 0.9, 0.99, 1.0)
                .register(meters);
    }

    /**
     * Registers, at zero, the counters a search with a shadow can raise, so that dashboards and alerts see
     * 0 rather than no data before the first fallback.
     */
    void expectShadow(String shadowStore) {
        for (String reason : List.of(DualSearch.REASON_ERROR, DualSearch.REASON_TIMEOUT, DualSearch.REASON_CIRCUIT_OPEN,
                DualSearch.REASON_MODE_UNAVAILABLE)) {
            meters.counter(MetricNames.SEARCH_FALLBACKS, MetricNames.TAG_REASON, reason);
        }
        for (String reason : List.of(DualSearch.REASON_ERROR, DualSearch.REASON_TIMEOUT,
                DualSearch.REASON_MODE_UNAVAILABLE)) {
            meters.counter(MetricNames.SEARCH_SHADOW_FAILURES, MetricNames.TAG_STORE, shadowStore,
                    MetricNames.TAG_REASON, reason);
        }
    }

    void latency(String store, SearchMode mode, long nanos) {
        Timer.builder(MetricNames.SEARCH_LATENCY_SECONDS)
                .description("Time to search one store for a question, in one search mode")
                .tag(MetricNames.TAG_STORE, store)
                .tag(MetricNames.TAG_MODE, mode.wireName())
                .publishPercentileHistogram()
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void overlap(double ratio) {
        overlap.record(ratio);
    }

    void fallback(String reason) {
        meters.counter(MetricNames.SEARCH_FALLBACKS, MetricNames.TAG_REASON, reason).increment();
    }

    void shadowFailed(String store, String reason) {
        meters.counter(MetricNames.SEARCH_SHADOW_FAILURES, MetricNames.TAG_STORE, store,
                MetricNames.TAG_REASON, reason).increment();
    }
}
