package io.faro.cli.rebuild;

import io.faro.maintenance.replay.TopicReplay;
import io.faro.stores.StoreFactory;
import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.store.StoreCopies;
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
        return StoreFactory.copies(config, StoreFactory.parse(store));
    }

    /** Every configured store's copies: Qdrant when set, and pgvector. */
    public static List<StoreCopies> all(FaroConfig config) {
        List<StoreCopies> all = new ArrayList<>();
        try {
            StoreFactory.configured(config).forEach(kind -> all.add(StoreFactory.copies(config, kind)));
        } catch (RuntimeException e) {
            all.forEach(StoreCopies::close);
            throw e;
        }
        return all;
    }

    /** Rewrites one terminal line with records done, rate and time left. */
    public static Consumer<TopicReplay.Progress> progressLine(String what, PrintStream out) {
        return p -> out.printf(Locale.ROOT, "\r%s: %s %,d / %,d records, %,.0f records/s, %d s left   ", what,
                p.phase(), p.done(), p.total(), p.recordsPerSecond(), p.remaining().toSeconds());
    }
}
