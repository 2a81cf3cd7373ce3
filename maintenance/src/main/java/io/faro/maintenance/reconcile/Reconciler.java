package io.faro.maintenance.reconcile;

import io.faro.core.metrics.MetricNames;
import io.faro.core.store.VectorStore;
import io.faro.maintenance.versions.VersionJoin;
import io.faro.maintenance.versions.VersionLog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compares each store with the live chunks of {@code faro.embeddings} and, when asked, repairs it: the
 * topic's latest record of every missing or stale chunk is written again, and every extra chunk is
 * deleted. Both sides are compared as (chunk id, document version) on local disk ({@link VersionJoin}),
 * never vectors or text, so memory does not grow with the number of chunks; a repair deletes extras in
 * batches as the comparison finds them and then fetches the records to write again in one pass over the
 * topic, writing them in batches. The last drift found is exported as {@code faro_store_drift_chunks{store,kind}}.
 */
public final class Reconciler {

    /** Chunks deleted or written in one store call. */
    static final int WRITE_BATCH = 256;
    /** Chunks of a store listed in one page. */
    static final int PAGE = 1_000;

    private final Map<String, Drift> lastDrift = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final int page;
    private final int bucketCapacity;
    private long peakHeldInMemory;

    public Reconciler(MeterRegistry meters) {
        this(meters, PAGE, VersionJoin.DEFAULT_CAPACITY);
    }

    /** {@code page}: chunks listed from the store at once; {@code bucketCapacity}: chunks compared in memory at once. */
    public Reconciler(MeterRegistry meters, int page, int bucketCapacity) {
        this.meters = meters;
        this.page = page;
        this.bucketCapacity = bucketCapacity;
    }

    public Drift compare(LiveRecords live, VectorStore store) {
        return reconcile(live, store, false);
    }

    /**
     * Finds the drift and repairs it in the same pass; returns the drift it found (and repaired). Leaves the
     * gauges as they are: compare again to export what is left.
     */
    public Drift repair(LiveRecords live, VectorStore store) {
        return reconcile(live, store, true);
    }

    /** The most chunks one comparison held in memory at once, over every comparison so far. */
    public long peakHeldInMemory() {
        return peakHeldInMemory;
    }

    /** Exports zero drift for the store: another replica computes its drift (the max over replicas is true). */
    public void forget(String store) {
        export(none(store));
    }

    private Drift reconcile(LiveRecords live, VectorStore store, boolean repair) {
        Found found = new Found(live, store, repair);
        VersionJoin join = new VersionJoin(bucketCapacity);
        VersionJoin.Totals totals;
        try (VersionLog held = VersionLog.of(store, page)) {
            totals = join.join(live.versions(), held, found);
        }
        peakHeldInMemory = Math.max(peakHeldInMemory, join.peakHeldInMemory());
        if (repair) {
            found.deleteExtras();
            live.fetchPicked(WRITE_BATCH, store::upsert);
        }
        Drift drift = new Drift(store.name(), found.missing.chunks(), found.extra.chunks(), found.stale.chunks(),
                totals.expected(), totals.held());
        if (!repair) {
            export(drift); // what a repair found is gone: the comparison after it exports what is left
        }
        return drift;
    }

    /** Counts each kind of difference, keeps the first chunk ids, and for a repair picks or deletes as it goes. */
    private final class Found implements VersionJoin.Differences {
        final Kind missing = new Kind();
        final Kind extra = new Kind();
        final Kind stale = new Kind();
        private final VectorStore store;
        private final boolean repair;
        private final List<String> extras = new ArrayList<>();
        private final LiveRecords live;

        Found(LiveRecords live, VectorStore store, boolean repair) {
            this.live = live;
            this.store = store;
            this.repair = repair;
        }

        @Override
        public void missing(VersionLog.Entry expected) {
            missing.add(expected.chunkId());
            pick(expected);
        }

        @Override
        public void stale(VersionLog.Entry expected, long heldVersion) {
            stale.add(expected.chunkId());
            pick(expected);
        }

        @Override
        public void extra(String chunkId, long heldVersion) {
            extra.add(chunkId);
            if (repair) {
                extras.add(chunkId);
                if (extras.size() >= WRITE_BATCH) {
                    deleteExtras();
                }
            }
        }

        void deleteExtras() {
            if (!extras.isEmpty()) {
                store.delete(List.copyOf(extras));
                extras.clear();
            }
        }

        private void pick(VersionLog.Entry expected) {
            if (repair) {
                live.pick(expected);
            }
        }
    }

    /** A count and the first chunk ids in order, at most {@link Drift.Chunks#EXAMPLES} of them. */
    private static final class Kind {
        private final NavigableSet<String> first = new TreeSet<>();
        private long size;

        void add(String chunkId) {
            size++;
            first.add(chunkId);
            if (first.size() > Drift.Chunks.EXAMPLES) {
                first.pollLast();
            }
        }

        Drift.Chunks chunks() {
            return new Drift.Chunks(size, List.copyOf(first));
        }
    }

    private static Drift none(String store) {
        Drift.Chunks nothing = new Drift.Chunks(0, List.of());
        return new Drift(store, nothing, nothing, nothing, 0, 0);
    }

    private void export(Drift drift) {
        boolean first = lastDrift.put(drift.store(), drift) == null;
        if (first) {
            for (String kind : Set.of("missing", "extra", "stale")) {
                Gauge.builder(MetricNames.STORE_DRIFT_CHUNKS, lastDrift, all -> count(all.get(drift.store()), kind))
                        .description("Chunks a store lacks, holds in excess, or holds at an older version, as last"
                                + " reconciled (0 in a replica that does not reconcile: read the max over replicas)")
                        .tag(MetricNames.TAG_STORE, drift.store())
                        .tag("kind", kind)
                        .register(meters);
            }
        }
    }

    private static double count(Drift drift, String kind) {
        return switch (kind) {
            case "missing" -> drift.missing().size();
            case "extra" -> drift.extra().size();
            default -> drift.stale().size();
        };
    }
}
