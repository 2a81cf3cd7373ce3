package io.faro.stores.pgvector;

import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.PgSettings;
import io.faro.core.store.VectorStore;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.StoreException;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.postgresql.util.LogLevel;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * pgvector's copies are tables: {@code FARO_PG_TABLE} is the live one, {@code <table>__previous} the
 * one kept for rollback, {@code <table>__r<time>} one being built. A switch renames the tables in one
 * transaction, so a query sees either the old table or the new one, never neither.
 */
public final class PgCopies implements StoreCopies {

    private static final Logger LOG = LoggerFactory.getLogger(PgCopies.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Building a large copy's HNSW index takes minutes per million rows on a small server. */
    private static final Duration INDEX_BUILD_TIMEOUT = Duration.ofHours(12);

    private final PgSettings pg;
    private final String keywordLanguage;
    private final String table;
    private final String previousTable;
    private final ConnectionPool pool;
    /**
     * Connections for building a copy's indexes, on which the driver logs PostgreSQL's notices at WARN (it logs
     * them at DEBUG by default): pgvector says in one when the HNSW graph outgrows {@code maintenance_work_mem} and
     * the build slows down, and says so to the session only (the server's log leaves notices out by default).
     */
    private final ConnectionFactory indexBuilds;
    private final String where;

    private PgCopies(PgSettings pg, String keywordLanguage) {
        this.pg = pg;
        this.keywordLanguage = keywordLanguage;
        this.table = pg.table();
        this.previousTable = table + "__previous";
        this.pool = PgVectorStore.pool(pg, PgPlanning.FOR_EACH_RUN);
        this.indexBuilds = ConnectionFactories.get(PgUrls.options(pg).mutate()
                .option(PostgresqlConnectionFactoryProvider.NOTICE_LOG_LEVEL, LogLevel.WARN).build());
        this.where = PgVectorStore.where(pg);
    }

    /**
     * The copies of {@code pg.table()}; a new copy analyses its chunks' keyword terms in {@code keywordLanguage}
     * ({@code FARO_KEYWORD_LANGUAGE}), so a rebuild is how a table moves to another analyser.
     */
    public static PgCopies open(PgSettings pg, String keywordLanguage) {
        return new PgCopies(pg, keywordLanguage);
    }

    /** With the default keyword language. */
    public static PgCopies open(PgSettings pg) {
        return open(pg, FaroConfig.DEFAULT_KEYWORD_LANGUAGE);
    }

    @Override
    public String name() {
        return "pgvector";
    }

    @Override
    public String live() {
        return table;
    }

    @Override
    public String liveModel() {
        return run(conn -> Flux.from(conn.createStatement("SELECT model FROM " + PgSchema.REGISTRY_TABLE
                                + " WHERE table_name = $1").bind("$1", table).execute())
                .flatMap(result -> result.map((row, meta) -> row.get("model", String.class)))
                .next()
                .switchIfEmpty(Mono.error(() -> new StoreException("there is no pgvector table " + table
                        + " yet; start FARO once so that it creates it"))), "look up the model of " + table);
    }

    @Override
    public Optional<String> previous() {
        return exists(previousTable) ? Optional.of(previousTable) : Optional.empty();
    }

    private boolean exists(String name) {
        return run(conn -> Flux.from(conn.createStatement("SELECT to_regclass($1)::text AS t").bind("$1", name).execute())
                .flatMap(result -> result.map((row, meta) -> Optional.ofNullable(row.get("t", String.class))))
                .next(), "look up " + name).isPresent();
    }

    @Override
    public void discardUnfinished() {
        List<String> unfinished = run(conn -> Flux.from(conn.createStatement(
                                "SELECT tablename FROM pg_tables WHERE tablename LIKE $1")
                        .bind("$1", table.replace("_", "\\_") + "\\_\\_r%").execute())
                .flatMap(result -> result.map((row, meta) -> row.get("tablename", String.class)))
                .collectList(), "list unfinished copies");
        for (String copy : unfinished) {
            LOG.info("removing table {} left by an unfinished rebuild", copy);
            transaction(List.of("DROP TABLE IF EXISTS " + copy,
                    "DELETE FROM " + PgSchema.REGISTRY_TABLE + " WHERE table_name = '" + copy + "'"));
        }
    }

    @Override
    public Copy createCopy(String model, int dimension) {
        String copy = table + "__r" + Long.toString(System.currentTimeMillis(), 36);
        return new Copy(copy, PgVectorStore.open(pg, copy, model, dimension, keywordLanguage, true));
    }

    /**
     * Builds the copy's HNSW and keyword indexes, left out while it filled, and analyses it, so its first
     * searches are planned from statistics. The HNSW build is fastest when the graph fits in
     * {@code maintenance_work_mem}, the server's or the role's, which the log line names; when it does not,
     * PostgreSQL's notice saying so is logged at WARN ({@link #indexBuilds}).
     */
    @Override
    public void finishCopy(String copy) {
        long start = System.nanoTime();
        List<String> statements = new ArrayList<>(PgSchema.searchIndexes(copy, pg.hnsw()));
        statements.add("ANALYZE " + copy);
        run(indexBuilds.create(), conn -> Flux.from(conn.createStatement("SHOW maintenance_work_mem").execute())
                .flatMap(result -> result.map((row, meta) -> row.get(0, String.class)))
                .doOnNext(memory -> LOG.info("building the search indexes of {} (maintenance_work_mem {})", copy,
                        memory))
                .thenMany(Flux.fromIterable(statements))
                .concatMap(sql -> Flux.from(conn.createStatement(sql).execute())
                        .concatMap(result -> result.getRowsUpdated()))
                .then(Mono.just(statements.size())), "build the indexes of " + copy, INDEX_BUILD_TIMEOUT);
        LOG.info("built the search indexes of {} in {} s", copy, (System.nanoTime() - start) / 1_000_000_000);
    }

    @Override
    public io.faro.core.store.VectorStore openLive(String model, int dimension) {
        return PgVectorStore.open(pg, table, model, dimension, keywordLanguage);
    }

    @Override
    public void promote(String copy) {
        List<String> statements = new ArrayList<>(List.of(
                "DROP TABLE IF EXISTS " + previousTable,
                "DELETE FROM " + PgSchema.REGISTRY_TABLE + " WHERE table_name = '" + previousTable + "'"));
        statements.addAll(rename(table, previousTable));
        statements.addAll(rename(copy, table));
        transaction(statements);
    }

    @Override
    public void rollback() {
        if (previous().isEmpty()) {
            throw new StoreException("there is no previous pgvector table to roll back to (" + previousTable
                    + " is missing); it was dropped, or no rebuild has switched yet");
        }
        String swap = table + "__swap";
        List<String> statements = new ArrayList<>(rename(table, swap));
        statements.addAll(rename(previousTable, table));
        statements.addAll(rename(swap, previousTable));
        transaction(statements);
    }

    /**
     * Renames a table, the indexes named after it ({@code <table>_embedding_idx}, ...) and its entry in the model
     * registry. Its indexes go with it so that the live table's carry the names {@link PgSchema} looks for: kept
     * under a copy's name, a later start would build a second HNSW index beside the first. Names here are FARO's
     * own validated identifiers ({@code FARO_PG_TABLE} and fixed suffixes), never user input.
     */
    private static List<String> rename(String from, String to) {
        return List.of("ALTER TABLE " + from + " RENAME TO " + to,
                """
                DO $$
                DECLARE index_name text;
                BEGIN
                    FOR index_name IN SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                                      WHERE x.indrelid = '%2$s'::regclass AND left(i.relname, %3$d) = '%1$s_'
                    LOOP
                        EXECUTE format('ALTER INDEX %%I RENAME TO %%I', index_name,
                                       '%2$s' || substr(index_name, %3$d));
                    END LOOP;
                END $$""".formatted(from, to, from.length() + 1),
                "UPDATE " + PgSchema.REGISTRY_TABLE + " SET table_name = '" + to + "' WHERE table_name = '" + from + "'");
    }

    @Override
    public void dropPrevious() {
        if (previous().isEmpty()) {
            throw new StoreException("there is no previous pgvector table (" + previousTable + ")");
        }
        transaction(List.of("DROP TABLE " + previousTable,
                "DELETE FROM " + PgSchema.REGISTRY_TABLE + " WHERE table_name = '" + previousTable + "'"));
    }

    private void transaction(List<String> statements) {
        run(conn -> Mono.from(conn.beginTransaction())
                .then(Flux.fromIterable(statements)
                        .concatMap(sql -> Flux.from(conn.createStatement(sql).execute())
                                .concatMap(result -> result.getRowsUpdated()))
                        .then())
                .then(Mono.from(conn.commitTransaction()))
                .thenReturn(statements.size())
                .onErrorResume(e -> Mono.from(conn.rollbackTransaction()).then(Mono.error(e))), "switch tables");
    }

    private <T> T run(Function<Connection, Publisher<T>> work, String what) {
        return run(pool.create(), work, what, TIMEOUT);
    }

    private <T> T run(Publisher<? extends Connection> connection, Function<Connection, Publisher<T>> work, String what,
                      Duration timeout) {
        try {
            return Mono.usingWhen(connection, conn -> Mono.from(work.apply(conn)), Connection::close).block(timeout);
        } catch (RuntimeException e) {
            throw new StoreException("pgvector: " + what + " failed: "
                    + PgConnectFailure.explain(e, where).orElseGet(e::getMessage), e);
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
