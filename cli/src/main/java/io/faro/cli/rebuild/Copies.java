package io.faro.cli.rebuild;

import io.faro.maintenance.replay.TopicReplay;
import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.devstack.LocalPostgres;
import io.faro.core.store.StoreCopies;
import io.faro.stores.pgvector.PgCopies;
import io.faro.stores.qdrant.QdrantCopies;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** Opens the stores' copies as configured, and prints a replay's progress on one line. */
public final class Copies {

    private Copies() {
    }

    /** The copies of one store, by its name: {@code qdrant} or {@code pgvector}. */
    public static StoreCopies open(FaroConfig config, String store) {
        return switch (store.toLowerCase(Locale.ROOT)) {
            case "qdrant" -> {
                FaroConfig.QdrantSettings qdrant = config.qdrant().orElseThrow(() ->
                        new ConfigException("qdrant is not configured: set " + FaroConfig.QDRANT_URL));
                yield QdrantCopies.open(qdrant.url(), qdrant.apiKey(), qdrant.collection(),
                        Duration.ofMillis(qdrant.timeoutMs()));
            }
            case "pgvector" -> PgCopies.open(config.pgUrl().orElse(LocalPostgres.urlFor(config.pgPort())),
                    config.pgTable());
            default -> throw new ConfigException("unknown store '" + store + "'; use qdrant or pgvector");
        };
    }

    /** Every configured store's copies: Qdrant when set, and pgvector. */
    public static List<StoreCopies> all(FaroConfig config) {
        List<StoreCopies> all = new ArrayList<>();
        if (config.qdrant().isPresent()) {
            all.add(open(config, "qdrant"));
        }
        all.add(open(config, "pgvector"));
        return all;
    }

    /** Rewrites one terminal line with records done, rate and time left. */
    public static Consumer<TopicReplay.Progress> progressLine(String what, PrintStream out) {
        return p -> out.printf(Locale.ROOT, "\r%s: %s %,d / %,d records, %,.0f records/s, %d s left   ", what,
                p.phase(), p.done(), p.total(), p.recordsPerSecond(), p.remaining().toSeconds());
    }
}
