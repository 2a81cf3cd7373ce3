package io.faro.stores.pgvector;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The terms most chunks of a table hold, with the share of its rows holding each, as PostgreSQL's ANALYZE
 * found them ({@code pg_stats.most_common_elems} of the terms column: about a thousand terms, each held by more
 * than roughly 1 % of the rows). A keyword search takes their document frequencies from here instead of counting
 * them (counting a term held by half the table costs more than the rest of the search), and counts the others,
 * which are rare by definition, through the GIN index.
 *
 * <p>Kept here, not read by each search: the {@code pg_stats} view costs more to plan than the rest of the
 * search statement, and ANALYZE changes what it says only every so often. It is read when the store opens and
 * again, in the background, by the first search after {@link #REFRESH} has passed, so no search waits for it.
 * A table never analysed (fewer than 50 rows, or just filled) has no common terms: every term is counted.
 */
final class PgCommonTerms {

    private static final Logger LOG = LoggerFactory.getLogger(PgCommonTerms.class);
    static final Duration REFRESH = Duration.ofMinutes(1);

    private record Snapshot(Map<String, Double> shares, long readAtNanos) {
    }

    private final ConnectionPool pool;
    private final String table;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Snapshot snapshot;

    PgCommonTerms(ConnectionPool pool, String table) {
        this.pool = pool;
        this.table = table;
        this.snapshot = new Snapshot(Map.of(), System.nanoTime() - REFRESH.toNanos() - 1);
    }

    /**
     * For each term, the share of the table's rows holding it when it is a common term, or {@code null}; and
     * a refresh in the background when the last one is older than {@link #REFRESH}.
     */
    Double[] shares(List<String> terms) {
        Snapshot current = snapshot;
        if (System.nanoTime() - current.readAtNanos() > REFRESH.toNanos() && refreshing.compareAndSet(false, true)) {
            read().doFinally(signal -> refreshing.set(false))
                    .subscribe(read -> snapshot = read,
                            e -> LOG.debug("reading the common terms of {} failed; searches count them", table, e));
        }
        return terms.stream().map(current.shares()::get).toArray(Double[]::new);
    }

    /** Reads them now, waiting; when that fails, searches count every term until the next refresh. */
    void refresh(Duration timeout) {
        try {
            snapshot = read().block(timeout);
        } catch (RuntimeException e) {
            LOG.debug("reading the common terms of {} failed; searches count them", table, e);
        }
    }

    private Mono<Snapshot> read() {
        return Mono.usingWhen(pool.create(), this::read, Connection::close)
                .defaultIfEmpty(new Snapshot(Map.of(), System.nanoTime()));
    }

    private Mono<Snapshot> read(Connection conn) {
        return Flux.from(conn.createStatement("""
                        SELECT most_common_elems::text::text[] AS terms, most_common_elem_freqs AS shares, null_frac
                        FROM pg_stats
                        WHERE schemaname = current_schema() AND tablename = $1 AND attname = 'keyword_terms'""")
                        .bind("$1", table).execute())
                .flatMap(result -> result.map((row, meta) -> snapshot(row.get("terms", String[].class),
                        row.get("shares", Float[].class), row.get("null_frac", Float.class))))
                .next();
    }

    /** Shares of all rows: ANALYZE's frequencies are of the rows that have terms. */
    private static Snapshot snapshot(String[] terms, Float[] frequencies, Float nullFraction) {
        Map<String, Double> shares = new HashMap<>();
        if (terms != null && frequencies != null) {
            double filled = 1 - (nullFraction == null ? 0 : nullFraction);
            for (int i = 0; i < terms.length && i < frequencies.length; i++) {
                shares.put(terms[i], frequencies[i] * filled);
            }
        }
        return new Snapshot(Map.copyOf(shares), System.nanoTime());
    }
}
