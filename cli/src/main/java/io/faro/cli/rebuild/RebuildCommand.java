package io.faro.cli.rebuild;

import io.faro.connectors.rebuild.Rebuilder;
import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.local.LocalPostgres;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.pgvector.PgCopies;
import io.faro.core.store.qdrant.QdrantCopies;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
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
        try (StoreCopies copies = open(config, store)) {
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
            Rebuilder.Result result = new Rebuilder(config.bootstrapServers(), copies, config.embeddingModel().id(),
                    config.embeddingModel().dimension(), p -> progress.printf(Locale.ROOT,
                            "\r%s: %s %,d / %,d records, %,.0f records/s, %d s left   ", copies.name(), p.phase(),
                            p.done(), p.total(), p.recordsPerSecond(), p.remaining().toSeconds())).rebuild();
            progress.println();
            out.printf("%s: rebuilt %,d chunks from %,d records and switched; live copy %s, previous copy %s kept"
                            + " (faro rebuild %s --rollback, or --drop-old)%n", result.store(), result.liveChunks(),
                    result.records(), result.liveCopy(), result.previousCopy(), store);
            return 0;
        }
    }

    private static StoreCopies open(FaroConfig config, String store) {
        return switch (store.toLowerCase(Locale.ROOT)) {
            case "qdrant" -> {
                FaroConfig.QdrantSettings qdrant = config.qdrant().orElseThrow(() ->
                        new ConfigException("rebuilding qdrant needs " + FaroConfig.QDRANT_URL));
                yield QdrantCopies.open(qdrant.url(), qdrant.apiKey(), qdrant.collection(),
                        Duration.ofMillis(qdrant.timeoutMs()));
            }
            case "pgvector" -> PgCopies.open(config.pgUrl().orElse(LocalPostgres.urlFor(config.pgPort())),
                    config.pgTable());
            default -> throw new ConfigException("unknown store '" + store + "'; use qdrant or pgvector");
        };
    }
}
