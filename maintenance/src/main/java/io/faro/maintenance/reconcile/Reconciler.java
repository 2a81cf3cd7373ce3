package io.faro.maintenance.reconcile;

import io.faro.core.metrics.MetricNames;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.VectorStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compares each store with the live chunks of {@code faro.embeddings} and, when asked, repairs it from
 * them: the topic's latest record of every missing or stale chunk is written again, and every extra
 * chunk is deleted. Only the affected documents are touched. The last drift found is exported as
 * {@code faro_store_drift_chunks{store,kind}}.
 */
public final class Reconciler {

    private static final int WRITE_BATCH = 256;

    private final Map<String, Drift> lastDrift = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    public Reconciler(MeterRegistry meters) {
        this.meters = meters;
    }

    public Drift compare(Map<String, EmbeddedChunk> live, VectorStore store) {
        Map<String, Long> held = store.versions();
        List<String> missing = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        live.forEach((chunkId, embedded) -> {
            Long version = held.get(chunkId);
            if (version == null) {
                missing.add(chunkId);
            } else if (version < embedded.chunk().docVersion()) {
                stale.add(chunkId);
            }
        });
        List<String> extra = held.keySet().stream().filter(chunkId -> !live.containsKey(chunkId)).toList();
        Drift drift = new Drift(store.name(), sorted(missing), sorted(extra), sorted(stale), live.size(), held.size());
        export(drift);
        return drift;
    }

    /** Writes what the store lacks or holds stale, deletes what it should not hold; returns the repaired count. */
    public int repair(Drift drift, Map<String, EmbeddedChunk> live, VectorStore store) {
        List<EmbeddedChunk> rewrite = new ArrayList<>();
        drift.missing().forEach(id -> rewrite.add(live.get(id)));
        drift.stale().forEach(id -> rewrite.add(live.get(id)));
        for (int from = 0; from < rewrite.size(); from += WRITE_BATCH) {
            store.upsert(rewrite.subList(from, Math.min(rewrite.size(), from + WRITE_BATCH)));
        }
        for (int from = 0; from < drift.extra().size(); from += WRITE_BATCH) {
            store.delete(drift.extra().subList(from, Math.min(drift.extra().size(), from + WRITE_BATCH)));
        }
        return rewrite.size() + drift.extra().size();
    }

    private void export(Drift drift) {
        boolean first = lastDrift.put(drift.store(), drift) == null;
        if (first) {
            for (String kind : Set.of("missing", "extra", "stale")) {
                Gauge.builder(MetricNames.STORE_DRIFT_CHUNKS, lastDrift, all -> count(all.get(drift.store()), kind))
                        .description("Chunks a store lacks, holds in excess, or holds at an older version, as last reconciled")
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

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }
}
