package io.faro.maintenance.reconcile;

import io.faro.maintenance.replay.EmbeddingsSnapshot;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.VectorStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles the stores with the embeddings topic in the background, so the drift gauges the gateway
 * serves are always recent. It only reports: repairing is an operator's decision ({@code faro reconcile --repair}).
 */
public final class PeriodicReconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicReconciler.class);

    /** The drift gauges have a value this soon after start, not one interval later. */
    static final Duration FIRST_RUN = Duration.ofSeconds(10);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("reconciler").factory());

    public PeriodicReconciler(EmbeddingsSnapshot snapshot, List<VectorStore> stores, Reconciler reconciler,
                              Duration interval) {
        this(snapshot::read, stores, reconciler, interval, FIRST_RUN);
    }

    PeriodicReconciler(Supplier<Map<String, EmbeddedChunk>> snapshot, List<VectorStore> stores, Reconciler reconciler,
                       Duration interval, Duration firstRun) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                Map<String, EmbeddedChunk> live = snapshot.get();
                for (VectorStore store : stores) {
                    Drift drift = reconciler.compare(live, store);
                    if (!drift.isEmpty()) {
                        LOG.warn("{} drifts from the embeddings topic: {} missing, {} extra, {} stale"
                                + " (faro reconcile --repair fixes it)", store.name(), drift.missing().size(),
                                drift.extra().size(), drift.stale().size());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("reconciliation skipped: {}", e.getMessage());
            }
        }, Math.min(interval.toMillis(), firstRun.toMillis()), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
