package io.faro.core.metrics;

import io.faro.core.store.VectorStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Vectors per store as a gauge. Counting can be slow on a large store, so it runs in the background
 * every interval and a scrape reads the last count; a store that cannot be counted reports NaN.
 */
public final class StoreSizeGauges implements AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("store-size-gauges").factory());
    private final Map<String, Double> counts = new ConcurrentHashMap<>();

    public StoreSizeGauges(List<VectorStore> stores, MeterRegistry meters, Duration interval) {
        for (VectorStore store : stores) {
            counts.put(store.name(), Double.NaN);
            Gauge.builder(MetricNames.STORE_VECTORS, counts, c -> c.getOrDefault(store.name(), Double.NaN))
                    .description("Vectors in the store, counted in the background")
                    .tag(MetricNames.TAG_STORE, store.name())
                    .register(meters);
        }
        scheduler.scheduleWithFixedDelay(() -> stores.forEach(this::refresh), 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void refresh(VectorStore store) {
        try {
            counts.put(store.name(), (double) store.count());
        } catch (RuntimeException e) {
            counts.put(store.name(), Double.NaN);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
