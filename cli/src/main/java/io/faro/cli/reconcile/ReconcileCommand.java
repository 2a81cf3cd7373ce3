package io.faro.cli.reconcile;

import io.faro.maintenance.reconcile.Drift;
import io.faro.maintenance.reconcile.Reconciler;
import io.faro.maintenance.replay.EmbeddingsSnapshot;
import io.faro.stores.StoreFactory;
import io.faro.core.config.FaroConfig;
import io.faro.core.store.VectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** How long reading the embeddings topic to its end may take. */
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofHours(2);

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
        try (EmbeddingsSnapshot live = EmbeddingsSnapshot.read(config.kafka(), SNAPSHOT_TIMEOUT)) {
            StoreFactory.configured(config).forEach(kind -> stores.add(StoreFactory.open(config, kind)));
            Reconciler reconciler = new Reconciler(new SimpleMeterRegistry());
            boolean drifted = false;
            for (VectorStore store : stores) {
                Drift drift = repair ? reconciler.repair(live, store) : reconciler.compare(live, store);
                out.println(describe(drift));
                if (repair && !drift.isEmpty()) {
                    out.printf("%s: repaired %d chunks%s%n", store.name(), drift.total(), drift.listsEveryChunk()
                            ? " in " + drift.affectedDocuments().size() + " documents" : "");
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
            line.append(" (documents: ").append(String.join(", ", drift.affectedDocuments().stream().limit(10)
                    .toList())).append(drift.listsEveryChunk() && drift.affectedDocuments().size() <= 10 ? "" : ", ...").append(')');
        }
        return line.toString();
    }
}
