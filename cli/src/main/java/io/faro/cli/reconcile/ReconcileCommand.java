package io.faro.cli.reconcile;

import io.faro.maintenance.reconcile.Drift;
import io.faro.maintenance.reconcile.Reconciler;
import io.faro.maintenance.replay.EmbeddingsSnapshot;
import io.faro.stores.StoreFactory;
import io.faro.core.config.FaroConfig;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.VectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code faro reconcile [--repair]}: compares the embeddings topic's live chunks with every store and
 * prints the drift; with {@code --repair}, rewrites what is missing or stale and deletes what is extra.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Compare the stores with the embeddings topic (the system of record) and print the drift.")
public final class ReconcileCommand implements Callable<Integer> {

    /** Exit code when drift was found and not repaired. */
    public static final int DRIFT = 3;

    @Option(names = "--repair", description = "Write missing and stale chunks again and delete extra ones.")
    boolean repair;

    @Override
    public Integer call() {
        return run(FaroConfig.fromEnv(), repair, System.out);
    }

    public static int run(FaroConfig config, boolean repair, PrintStream out) {
        List<VectorStore> stores = new ArrayList<>();
        try {
            StoreFactory.configured(config).forEach(kind -> stores.add(StoreFactory.open(config, kind)));
            Map<String, EmbeddedChunk> live = new EmbeddingsSnapshot(config.kafka(), Duration.ofMinutes(10))
                    .read();
            Reconciler reconciler = new Reconciler(new SimpleMeterRegistry());
            boolean drifted = false;
            for (VectorStore store : stores) {
                Drift drift = reconciler.compare(live, store);
                out.println(describe(drift));
                if (!drift.isEmpty() && repair) {
                    int repaired = reconciler.repair(drift, live, store);
                    out.printf("%s: repaired %d chunks in %d documents%n", store.name(), repaired,
                            drift.affectedDocuments().size());
                    drift = reconciler.compare(live, store);
                    out.println(describe(drift));
                }
                drifted |= !drift.isEmpty();
            }
            return drifted ? DRIFT : 0;
        } finally {
            stores.forEach(VectorStore::close);
        }
    }

    private static String describe(Drift drift) {
        StringBuilder line = new StringBuilder(String.format("%s: %d chunks expected, %d held: %d missing, %d extra,"
                + " %d stale", drift.store(), drift.expected(), drift.held(), drift.missing().size(),
                drift.extra().size(), drift.stale().size()));
        if (!drift.isEmpty()) {
            line.append(" (documents: ").append(String.join(", ", drift.affectedDocuments().stream().limit(10).toList()))
                    .append(drift.affectedDocuments().size() > 10 ? ", ..." : "").append(')');
        }
        return line.toString();
    }
}
