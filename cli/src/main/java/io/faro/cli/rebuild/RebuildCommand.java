package io.faro.cli.rebuild;

import io.faro.embedders.EmbedderFactory;
import io.faro.maintenance.rebuild.Rebuilder;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.store.StoreCopies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code faro rebuild qdrant|pgvector}: rebuilds a store from the embeddings topic into a new copy and
 * switches to it atomically; {@code --rollback} switches back, {@code --drop-old} deletes the old copy.
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = "Rebuild a store (qdrant or pgvector) from faro.embeddings with no downtime.")
public final class RebuildCommand implements Callable<Integer> {

    @Parameters(paramLabel = "STORE", description = "qdrant or pgvector")
    String store;

    @ArgGroup(exclusive = true)
    Action action;

    static final class Action {
        @Option(names = "--rollback", description = "Switch back to the copy that was live before the last rebuild.")
        boolean rollback;

        @Option(names = "--drop-old", description = "Delete the copy kept for rollback.")
        boolean dropOld;
    }

    @Override
    public Integer call() {
        Action chosen = action == null ? new Action() : action;
        return run(FaroConfig.fromEnv(), store, chosen.rollback, chosen.dropOld, System.out, System.err);
    }

    public static int run(FaroConfig config, String store, boolean rollback, boolean dropOld, PrintStream out,
                          PrintStream progress) {
        try (StoreCopies copies = Copies.open(config, store)) {
            if (rollback) {
                copies.rollback();
                out.printf("%s: switched back to the copy that was live before the last rebuild; the other one is"
                        + " kept as the previous copy%n", copies.name());
                return 0;
            }
            if (dropOld) {
                String dropped = copies.previous().orElse("-");
                copies.dropPrevious();
                out.printf("%s: dropped the previous copy %s%n", copies.name(), dropped);
                return 0;
            }
            Rebuilder.Result result = new Rebuilder(config.kafka(), copies, EmbedderFactory.embedders(config, new SimpleMeterRegistry()),
                    Copies.progressLine(copies.name(), progress)).rebuild();
            progress.println();
            out.printf("%s: rebuilt %,d chunks (model %s) from %,d records and switched; live copy %s, previous copy"
                            + " %s kept (faro rebuild %s --rollback, or --drop-old)%n", result.store(),
                    result.liveChunks(), result.model(), result.records(), result.liveCopy(), result.previousCopy(),
                    store);
            return 0;
        }
    }
}
