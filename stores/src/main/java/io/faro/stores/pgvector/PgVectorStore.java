package io.faro.stores.pgvector;

import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.PgSettings;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.ChunkVersion;
import io.faro.core.store.ModelMismatchException;
import io.faro.core.store.StoreException;
import io.faro.core.store.StoreQuery;
import io.faro.core.store.StoredDocument;
import io.faro.core.store.VectorStore;
import io.faro.stores.keyword.KeywordAnalyzer;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.Wrapped;
import io.r2dbc.spi.ValidationDepth;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The durable copy: PostgreSQL with pgvector. One table keyed by chunk id, an HNSW cosine index, a GIN index of
 * each chunk's keyword terms, and batched idempotent upserts (vector and terms together): each batch goes to the
 * server in binary {@code COPY} format ({@link PgCopyRows}) and is applied by one {@code INSERT ... ON CONFLICT}
 * that keeps the newer document version, in a transaction that first checks that the table holds vectors of the
 * batch's model. Every write takes its rows in chunk id order, so two writers of the same chunks (a sink and a
 * rebuild's catch-up, or two sinks across a rebalance) wait for each other rather than deadlock; a unit of work
 * the server still rolls back, as a deadlock's victim or for a serialization failure, is made again. Dense,
 * keyword and hybrid searches are each one statement ({@link PgSearch}).
 */
public final class PgVectorStore implements VectorStore {

    private static final Logger LOG = LoggerFactory.getLogger(PgVectorStore.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * How often a unit of work the server rolled back as a deadlock's victim or for a serialization failure is
     * made again, after a pause that doubles from {@link #ROLLED_BACK_FIRST_PAUSE}: all of it was undone, and
     * FARO's writes are idempotent, so making it again is safe.
     */
    static final int ROLLED_BACK_RETRIES = 5;
    private static final Duration ROLLED_BACK_FIRST_PAUSE = Duration.ofMillis(20);
    /** The SQLSTATEs of a transaction the server rolled back for another's sake: deadlock, serialization failure. */
    private static final Set<String> ROLLED_BACK_FOR_ANOTHER = Set.of("40P01", "40001");
    /**
     * Where a write's rows land first, by binary {@code COPY}: a temporary table of the connection's own, emptied
     * at each commit, from which one {@code INSERT ... ON CONFLICT} applies them to the table.
     */
    static final String STAGE = "faro_upsert_stage";
    /** Sends a batch, encoded by {@link PgCopyRows}, into {@link #STAGE}. */
    private static final String COPY_SQL = "COPY pg_temp." + STAGE + " (" + PgCopyRows.COLUMNS
            + ") FROM STDIN (FORMAT binary)";

    private final ConnectionPool pool;
    /** Connections for the searches planned once ({@link PgPlanning#ONCE}), opened when the first one runs. */
    private final ConnectionPool planOncePool;
    private final String table;
    /** Where the pool connects (user, host, port, database, TLS), for messages; no password. */
    private final String where;
    /** Locks the table against a switch and makes this connection's staging table if it has none yet. */
    private final String prepareSql;
    private final String upsertSql;
    /** The configured analyser: questions are analysed with it, and chunks too while the table is in its language. */
    private final KeywordAnalyzer analyzer;
    /** Analysers of other languages, for writing to a table made with one (until it is rebuilt). */
    private final Map<String, KeywordAnalyzer> otherAnalyzers = new ConcurrentHashMap<>();
    private final PgCommonTerms commonTerms;
    private final PgSearch search;
    /** The language the table's terms are in, as its registry entry said at the last write. */
    private volatile String tableLanguage;

    private PgVectorStore(PgSettings pg, String table, KeywordAnalyzer analyzer) {
        this.pool = pool(pg, PgPlanning.FOR_EACH_RUN);
        this.planOncePool = pool(pg, PgPlanning.ONCE);
        this.where = where(pg);
        this.table = table;
        this.analyzer = analyzer;
        this.tableLanguage = analyzer.language();
        this.commonTerms = new PgCommonTerms(pool, table);
        this.search = new PgSearch(table, analyzer, commonTerms);
        this.prepareSql = "LOCK TABLE " + table + " IN ROW EXCLUSIVE MODE; CREATE TEMP TABLE IF NOT EXISTS "
                + STAGE + " (" + PgCopyRows.COLUMN_TYPES + ") WITH (toast_tuple_target = "
                + PgSchema.TOAST_TUPLE_TARGET + ") ON COMMIT DELETE ROWS";
        this.upsertSql = """
                INSERT INTO %s (%s)
                SELECT %s FROM pg_temp.%s ORDER BY chunk_id
                ON CONFLICT (chunk_id) DO UPDATE SET
                    doc_id = EXCLUDED.doc_id, doc_version = EXCLUDED.doc_version,
                    chunk_index = EXCLUDED.chunk_index, title = EXCLUDED.title,
                    content = EXCLUDED.content, metadata = EXCLUDED.metadata, model = EXCLUDED.model,
                    embedding = EXCLUDED.embedding, tenant = EXCLUDED.tenant, acl = EXCLUDED.acl,
                    keyword_terms = EXCLUDED.keyword_terms, keyword_length = EXCLUDED.keyword_length,
                    updated_at = now()
                WHERE %s.doc_version <= EXCLUDED.doc_version
                """.formatted(table, PgCopyRows.COLUMNS, PgCopyRows.COLUMNS, STAGE, table);
    }

    /**
     * Connects, and creates the table and indexes when missing (or adds what an older table lacks). Fails when
     * the table holds vectors of another model or dimension, or when the pgvector extension is not installed;
     * when it cannot connect or log in, it says which settings to check ({@code FARO_PG_PASSWORD_FILE},
     * {@code FARO_PG_SSLMODE}, {@code FARO_PG_SSLROOTCERT}, ...), never showing a password.
     *
     * @param keywordLanguage the keyword analyser's language ({@code FARO_KEYWORD_LANGUAGE}); a new table records
     *                        it, and a table made in another one answers dense searches only until it is rebuilt
     */
    public static PgVectorStore open(PgSettings pg, String table, String model, int dimension,
                                     String keywordLanguage) {
        return open(pg, table, model, dimension, keywordLanguage, false);
    }

    /** {@code deferSearchIndexes}: a copy to fill in bulk, its search indexes built after ({@link PgCopies}). */
    static PgVectorStore open(PgSettings pg, String table, String model, int dimension, String keywordLanguage,
                              boolean deferSearchIndexes) {
        KeywordAnalyzer analyzer = analyzer(keywordLanguage);
        PgVectorStore store = new PgVectorStore(pg, table, analyzer);
        try {
            store.tableLanguage = new PgSchema(table, model, dimension, keywordLanguage, pg.hnsw(),
                    deferSearchIndexes).apply(store::withConnection).keywordLanguage();
            store.commonTerms.refresh(TIMEOUT);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * The statements that build a table's HNSW index again in place, with these settings. FARO itself builds
     * an index with new settings by {@code faro rebuild pgvector}, beside the live table; the benchmarks compare
     * settings on one table.
     */
    public static List<String> hnswReindex(String table, FaroConfig.HnswBuild hnsw) {
        return List.of("DROP INDEX IF EXISTS " + PgSchema.hnswIndexName(table), PgSchema.hnswIndex(table, hnsw));
    }

    /** With the default keyword language. */
    public static PgVectorStore open(PgSettings pg, String table, String model, int dimension) {
        return open(pg, table, model, dimension, FaroConfig.DEFAULT_KEYWORD_LANGUAGE);
    }

    /** Only a URL (credentials and TLS in it, if any), and the default keyword language. */
    public static PgVectorStore open(String url, String table, String model, int dimension) {
        return open(PgSettings.of(url, table), table, model, dimension);
    }

    private static KeywordAnalyzer analyzer(String language) {
        try {
            return KeywordAnalyzer.forLanguage(language);
        } catch (IllegalArgumentException e) {
            throw new StoreException(FaroConfig.KEYWORD_LANGUAGE + ": " + e.getMessage(), e);
        }
    }

    /**
     * A small pool that checks each connection before lending it, so a restarted server is reconnected: locally
     * (is its socket still open? a stopping server closes it), not with a query, which cost every search a round
     * trip of its own. A connection that dies unnoticed fails its statement, which the caller retries. Each
     * connection gets its {@link PgPlanning#sessionSettings} once, when it is opened: the pool's
     * {@code postAllocate} would run them again at every loan, a round trip each before every search. It opens
     * {@link PgPlanning#connectionsAtStart} connections when it is made.
     */
    static ConnectionPool pool(PgSettings pg, PgPlanning planning) {
        ConnectionFactory server = ConnectionFactories.get(PgUrls.options(pg).mutate()
                .option(PostgresqlConnectionFactoryProvider.PREPARED_STATEMENT_CACHE_QUERIES,
                        PgPlanning.STATEMENTS_KEPT)
                .build());
        List<String> settings = planning.sessionSettings(pg.efSearch());
        ConnectionFactory prepared = new ConnectionFactory() {
            @Override
            public Publisher<? extends Connection> create() {
                return Mono.from(server.create()).flatMap(conn -> Flux.fromIterable(settings)
                        .concatMap(sql -> Flux.from(conn.createStatement(sql).execute())
                                .concatMap(result -> result.getRowsUpdated()))
                        .then(Mono.just(conn))
                        .onErrorResume(e -> Mono.from(conn.close()).then(Mono.error(e))));
            }

            @Override
            public ConnectionFactoryMetadata getMetadata() {
                return server.getMetadata();
            }
        };
        return new ConnectionPool(ConnectionPoolConfiguration.builder(prepared)
                .initialSize(planning.connectionsAtStart)
                .maxSize(8)
                .maxAcquireTime(TIMEOUT)
                .validationDepth(ValidationDepth.LOCAL)
                .build());
    }

    /** Where these settings connect, for messages: user, host, port, database and TLS mode, no password. */
    static String where(PgSettings pg) {
        return PgUrls.describe(PgUrls.options(pg));
    }

    @Override
    public String name() {
        return "pgvector";
    }

    @Override
    public void upsert(List<EmbeddedChunk> batch) {
        if (batch.isEmpty()) {
            return;
        }
        // One row per chunk id: PostgreSQL refuses to update the same row twice in one statement.
        Map<String, EmbeddedChunk> latest = new LinkedHashMap<>();
        batch.forEach(e -> latest.put(e.chunkId(), e));
        List<EmbeddedChunk> rows = List.copyOf(latest.values());
        int n = rows.size();
        Set<String> batchModels = rows.stream().map(EmbeddedChunk::model).collect(Collectors.toSet());
        PgKeywordSide analysed = PgKeywordSide.of(rows, analyzerFor(tableLanguage));
        byte[] encoded = PgCopyRows.encode(rows, analysed.terms());
        // The table lock comes first: a switch (PgCopies renames tables in one transaction) then waits for
        // this write, or this write waits for the switch and sees the table and registry entry it made.
        withConnection(conn -> Mono.from(conn.beginTransaction())
                .thenMany(Flux.from(conn.createStatement(prepareSql).execute()).flatMap(Result::getRowsUpdated))
                .then(registered(conn))
                .flatMap(live -> batchModels.stream().allMatch(live.model()::equals) ? Mono.just(live)
                        : Mono.error(new ModelMismatchException(name(), live.model(), String.join(", ", batchModels))))
                .map(live -> {
                    PgKeywordSide keywords = keywordSide(live, analysed, rows);
                    return keywords == analysed ? encoded : PgCopyRows.encode(rows, keywords.terms());
                })
                .flatMap(copy -> postgres(conn).copyIn(COPY_SQL).from(copy).build())
                .then(Mono.from(conn.createStatement(upsertSql).execute()))
                .flatMap(result -> Mono.from(result.getRowsUpdated()))
                .flatMap(written -> Mono.from(conn.commitTransaction()).thenReturn(written))
                .onErrorResume(e -> Mono.from(conn.rollbackTransaction()).then(Mono.error(e))),
                "upsert " + n + " chunks");
    }

    /** The driver's own connection under the pool's, which can {@code COPY}. */
    private static PostgresqlConnection postgres(Connection conn) {
        Object inner = conn;
        while (!(inner instanceof PostgresqlConnection) && inner instanceof Wrapped<?> wrapped) {
            inner = wrapped.unwrap();
        }
        if (inner instanceof PostgresqlConnection postgres) {
            return postgres;
        }
        throw new IllegalStateException("not a PostgreSQL connection: " + conn.getClass().getName());
    }

    /**
     * The keyword side in the language the table's terms are in: analysed before the transaction in the
     * language it was in at the last write, and again here in the rare case that a switch put a table of
     * another language under this name meanwhile, so a table never mixes the terms of two analysers.
     */
    private PgKeywordSide keywordSide(Live live, PgKeywordSide analysed, List<EmbeddedChunk> rows) {
        String language = live.keywordLanguage() == null ? analyzer.language() : live.keywordLanguage();
        KeywordAnalyzer wanted = analyzerFor(language);
        if (wanted.language().equals(analysed.language())) {
            return analysed;
        }
        tableLanguage = language;
        return PgKeywordSide.of(rows, wanted);
    }

    /**
     * The analyser of a language: the configured one, or one made for a table in another language (the
     * configured one when this FARO knows no analyser for it: searches of that table are refused anyway).
     */
    private KeywordAnalyzer analyzerFor(String language) {
        if (language.equals(analyzer.language())) {
            return analyzer;
        }
        return otherAnalyzers.computeIfAbsent(language, other -> KeywordAnalyzer.languages().contains(other)
                ? KeywordAnalyzer.forLanguage(other) : analyzer);
    }

    /** What the registry holds for the table now: its model and the language of its terms. */
    private record Live(String model, String keywordLanguage) {
    }

    private Mono<Live> registered(Connection conn) {
        return Flux.from(conn.createStatement("SELECT model, keyword_language FROM " + PgSchema.REGISTRY_TABLE
                                + " WHERE table_name = $1")
                        .bind("$1", table).execute())
                .flatMap(result -> result.map((row, meta) -> new Live(row.get("model", String.class),
                        row.get("keyword_language", String.class))))
                .next()
                .switchIfEmpty(Mono.error(() -> new StoreException("pgvector table " + table
                        + " has no entry in " + PgSchema.REGISTRY_TABLE + "; it was dropped or is being switched")));
    }

    @Override
    public String liveModel() {
        return withConnection(conn -> registered(conn).map(Live::model), "look up the model");
    }

    @Override
    public void delete(Collection<String> chunkIds) {
        if (chunkIds.isEmpty()) {
            return;
        }
        String[] ids = chunkIds.toArray(String[]::new);
        withConnection(conn -> Mono.from(conn.createStatement("DELETE FROM " + table + " WHERE chunk_id = ANY($1)")
                        .bind("$1", ids).execute())
                .flatMap(result -> Mono.from(result.getRowsUpdated())), "delete " + ids.length + " chunks");
    }

    @Override
    public void deleteDocument(String docId) {
        withConnection(conn -> Mono.from(conn.createStatement("DELETE FROM " + table + " WHERE doc_id = $1")
                        .bind("$1", docId).execute())
                .flatMap(result -> Mono.from(result.getRowsUpdated())), "delete document " + docId);
    }

    @Override
    public List<SearchHit> search(StoreQuery query) {
        return search.search(query, this::withConnection, this::withPlanOnceConnection);
    }

    @Override
    public long count() {
        return withConnection(conn -> Mono.from(conn.createStatement("SELECT count(*) FROM " + table).execute())
                .flatMap(result -> Mono.from(result.map((row, meta) -> row.get(0, Long.class)))), "count");
    }

    /**
     * Keyset pagination over the primary key: each page is one short query that starts after the last
     * chunk id of the page before, so no cursor or transaction stays open between pages and each page
     * costs an index range scan whatever the size of the table.
     */
    @Override
    public void visitVersions(int pageSize, Consumer<List<ChunkVersion>> page) {
        String first = "SELECT chunk_id, doc_version FROM " + table + " ORDER BY chunk_id LIMIT $1";
        String next = "SELECT chunk_id, doc_version FROM " + table + " WHERE chunk_id > $2 ORDER BY chunk_id LIMIT $1";
        Optional<String> after = Optional.empty();
        List<ChunkVersion> rows;
        do {
            Optional<String> from = after;
            rows = withConnection(conn -> {
                Statement statement = conn.createStatement(from.isPresent() ? next : first).bind("$1", pageSize);
                from.ifPresent(id -> statement.bind("$2", id));
                return Flux.from(statement.execute())
                        .flatMap(result -> result.map((row, meta) -> new ChunkVersion(row.get("chunk_id", String.class),
                                row.get("doc_version", Long.class))))
                        .collectList();
            }, "list chunks");
            if (!rows.isEmpty()) {
                page.accept(rows);
                after = Optional.of(rows.getLast().chunkId());
            }
        } while (rows.size() == pageSize);
    }

    @Override
    public StoredDocument describe(String docId) {
        record Row(String chunkId, long version, Instant updatedAt, List<String> acl) {
        }
        List<Row> rows = withConnection(conn -> Flux.from(conn.createStatement(
                                "SELECT chunk_id, doc_version, updated_at, acl FROM " + table + " WHERE doc_id = $1")
                        .bind("$1", docId).execute())
                .flatMap(result -> result.map((row, meta) -> new Row(row.get("chunk_id", String.class),
                        row.get("doc_version", Long.class), row.get("updated_at", OffsetDateTime.class).toInstant(),
                        List.of(row.get("acl", String[].class)))))
                .collectList(), "describe " + docId);
        if (rows.isEmpty()) {
            return StoredDocument.ABSENT;
        }
        long version = rows.stream().mapToLong(Row::version).max().orElseThrow();
        Optional<Instant> since = rows.stream().filter(row -> row.version() == version).map(Row::updatedAt)
                .max(Instant::compareTo);
        long oldest = rows.stream().mapToLong(Row::version).min().orElseThrow();
        List<String> acl = rows.stream().filter(row -> row.version() == version).findFirst().orElseThrow().acl();
        return new StoredDocument(rows.stream().map(Row::chunkId).collect(Collectors.toSet()), version, oldest, since,
                acl);
    }

    @Override
    public boolean isReachable() {
        try {
            withConnection(conn -> Mono.from(conn.createStatement("SELECT 1").execute())
                    .flatMap(result -> Mono.from(result.map((row, meta) -> row.get(0, Integer.class)))), "ping");
            return true;
        } catch (StoreException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.dispose();
        planOncePool.dispose();
        analyzer.close();
        otherAnalyzers.values().stream().filter(other -> other != analyzer).forEach(KeywordAnalyzer::close);
    }

    <T> T withConnection(Function<Connection, Publisher<T>> work, String what) {
        return withConnection(pool, work, what);
    }

    /** On a connection of the pool whose statements are planned once ({@link PgPlanning#ONCE}). */
    <T> T withPlanOnceConnection(Function<Connection, Publisher<T>> work, String what) {
        return withConnection(planOncePool, work, what);
    }

    private <T> T withConnection(ConnectionPool from, Function<Connection, Publisher<T>> work, String what) {
        try {
            return Mono.usingWhen(from.create(), conn -> Mono.from(work.apply(conn)), Connection::close)
                    .retryWhen(Retry.backoff(ROLLED_BACK_RETRIES, ROLLED_BACK_FIRST_PAUSE)
                            .filter(PgVectorStore::rolledBackForAnother)
                            .doBeforeRetry(retry -> LOG.warn("pgvector: {} on table {}: {}; making it again (retry {} of {})",
                                    what, table, describe(retry.failure()), retry.totalRetries() + 1,
                                    ROLLED_BACK_RETRIES))
                            .onRetryExhaustedThrow((spec, retry) -> retry.failure()))
                    .block(TIMEOUT);
        } catch (ModelMismatchException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException("pgvector: " + what + " on table " + table + " failed: "
                    + PgConnectFailure.explain(e, where).orElseGet(() -> describe(e)), e);
        }
    }

    /** Whether the server undid the work to let another transaction through, so that making it again can succeed. */
    static boolean rolledBackForAnother(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof R2dbcException r2dbc && ROLLED_BACK_FOR_ANOTHER.contains(r2dbc.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() != null && t.getMessage().startsWith("java.")) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
