package io.faro.maintenance.reconcile;

import io.faro.core.store.VectorStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles the stores with the embeddings topic in the background, so the drift gauges are always
 * recent. It only reports: repairing is an operator's decision ({@code faro reconcile --repair}).
 *
 * <p>It runs in one place in a cluster: every gateway replica starts one, and only the one that
 * {@code leads} (a PostgreSQL advisory lock, so a second process, a crashed leader's successor, takes
 * over within {@code followerRetry}) reads the topic and the stores. It runs at once when it takes the
 * lead, then every {@code interval}. A replica that does not lead exports every drift gauge as zero, so
 * {@code max by (store, kind)} over the replicas, as the dashboard and the alert read it, is the
 * leader's figure.
 */
public final class PeriodicReconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicReconciler.class);

    /** How often a replica that does not lead tries to take the lead. */
    public static final Duration FOLLOWER_RETRY = Duration.ofSeconds(30);
    /** How long {@link #close} waits for a run it interrupted. */
    private static final long STOP_SECONDS = 10;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("reconciler").factory());
    private final Supplier<LiveRecords> snapshot;
    private final List<VectorStore> stores;
    private final Reconciler reconciler;
    private final Duration interval;
    private final BooleanSupplier leads;
    private final Duration followerRetry;
    private boolean leading;

    public PeriodicReconciler(Supplier<LiveRecords> snapshot, List<VectorStore> stores, Reconciler reconciler,
                              Duration interval, BooleanSupplier leads, Duration followerRetry) {
        this.snapshot = snapshot;
        this.stores = List.copyOf(stores);
        this.reconciler = reconciler;
        this.interval = interval;
        this.leads = leads;
        this.followerRetry = followerRetry;
        schedule(Duration.ZERO);
    }

    private void schedule(Duration delay) {
        try {
            scheduler.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void tick() {
        boolean lead;
        try {
            lead = leads.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.warn("cannot tell whether this replica leads reconciliation, so it does not: {}", e.getMessage());
            lead = false;
        }
        if (lead != leading) {
            LOG.info(lead ? "this replica reconciles the stores now" : "another replica reconciles the stores");
            leading = lead;
        }
        if (!lead) {
            stores.forEach(store -> reconciler.forget(store.name()));
            schedule(followerRetry);
            return;
        }
        try (LiveRecords live = snapshot.get()) {
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
        schedule(interval);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
