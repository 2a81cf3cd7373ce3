package io.faro.stores.pgvector;

import io.faro.core.store.StoreQuery;
import io.faro.core.store.SearchMode;
import com.pgvector.PGvector;
import io.faro.core.config.FaroConfig.PgSettings;
import io.faro.core.json.Json;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.ChunkVersion;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.ModelMismatchException;
import io.faro.core.store.StoreException;
import io.faro.core.store.StoredDocument;
import io.faro.core.store.VectorStore;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Consumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The durable copy: PostgreSQL with pgvector. One table keyed by chunk id, an HNSW cosine index,
 * batched idempotent upserts in one statement per batch, in a transaction that first checks that the
 * table holds vectors of the batch's model.
 */
public final class PgVectorStore implements VectorStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ConnectionPool pool;
    private final String table;
    /** Where the pool connects (user, host, port, database, TLS), for messages; no password. */
    private final String where;
    private final String upsertSql;
    private final String searchSql;
    private final String filteredSearchSql;
    private final String scopedSearchSql;

    private PgVectorStore(ConnectionPool pool, String table, String where) {
        this.pool = pool;
        this.table = table;
        this.where = where;
        this.upsertSql = """
                INSERT INTO %s (chunk_id, doc_id, chunk_index, title, content, metadata, model, embedding, doc_version,
                                tenant, acl)
                SELECT r.chunk_id, r.doc_id, r.chunk_index, r.title, r.content, r.metadata, r.model, r.embedding,
                       r.doc_version, r.tenant, ARRAY(SELECT jsonb_array_elements_text(r.acl))
                FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::jsonb[],
                            $7::text[], $8::vector[], $9::bigint[], $10::text[], $11::jsonb[])
                     AS r(chunk_id, doc_id, chunk_index, title, content, metadata, model, embedding, doc_version,
                          tenant, acl)
                ON CONFLICT (chunk_id) DO UPDATE SET
                    doc_id = EXCLUDED.doc_id, doc_version = EXCLUDED.doc_version,
                    chunk_index = EXCLUDED.chunk_index, title = EXCLUDED.title,
                    content = EXCLUDED.content, metadata = EXCLUDED.metadata, model = EXCLUDED.model,
                    embedding = EXCLUDED.embedding, tenant = EXCLUDED.tenant, acl = EXCLUDED.acl, updated_at = now()
                WHERE %s.doc_version <= EXCLUDED.doc_version
                """.formatted(table, table);
        String select = """
                SELECT chunk_id, doc_id, chunk_index, title, content, metadata::text AS metadata, model,
                       1 - (embedding <=> $1::vector) AS score
                FROM %s
                """.formatted(table);
        this.searchSql = select + " ORDER BY embedding <=> $1::vector LIMIT $2";
        // The unfiltered query keeps no WHERE clause so the planner always takes the HNSW index. A filtered one
        // may make the index scan go on past its first candidates (hnsw.iterative_scan, set on every connection),
        // whose relaxed order the outer query puts right.
        String filtered = "SELECT * FROM (" + select + " WHERE %s ORDER BY embedding <=> $1::vector LIMIT $2) AS hits"
                + " ORDER BY score DESC";
        this.filteredSearchSql = filtered.formatted(PgFilter.condition(false));
        this.scopedSearchSql = filtered.formatted(PgFilter.condition(true));
    }

    /**
     * Connects, and creates the table and index when missing. Fails when the table holds vectors of
     * another model or dimension, or when the pgvector extension is not installed; when it cannot connect
     * or log in, it says which settings to check ({@code FARO_PG_PASSWORD_FILE}, {@code FARO_PG_SSLMODE},
     * {@code FARO_PG_SSLROOTCERT}, ...), never showing a password.
     */
    public static PgVectorStore open(PgSettings pg, String table, String model, int dimension) {
        ConnectionPool pool = pool(pg);
        PgVectorStore store = new PgVectorStore(pool, table, where(pg));
        try {
            new PgSchema(table, model, dimension).apply(store::withConnection);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return store;
    }

    /** Only a URL (credentials and TLS in it, if any). */
    public static PgVectorStore open(String url, String table, String model, int dimension) {
        return open(PgSettings.of(url, table), table, model, dimension);
    }

    /**
     * A small pool that checks each connection before lending it, so a restarted server is reconnected. Each
     * connection lets a filtered search scan the HNSW index iteratively ({@link PgFilter#SESSION_SETTINGS}).
     */
    static ConnectionPool pool(PgSettings pg) {
        return new ConnectionPool(ConnectionPoolConfiguration.builder(ConnectionFactories.get(PgUrls.options(pg)))
                .initialSize(1)
                .maxSize(8)
                .maxAcquireTime(TIMEOUT)
                .validationQuery("SELECT 1")
                .postAllocate(conn -> Flux.fromIterable(PgFilter.SESSION_SETTINGS)
                        .concatMap(sql -> Flux.from(conn.createStatement(sql).execute())
                                .concatMap(result -> result.getRowsUpdated()))
                        .then())
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
        String[] ids = new String[n];
        String[] docIds = new String[n];
        Integer[] indexes = new Integer[n];
        String[] titles = new String[n];
        String[] contents = new String[n];
        String[] metadata = new String[n];
        String[] models = new String[n];
        String[] vectors = new String[n];
        Long[] versions = new Long[n];
        String[] tenants = new String[n];
        String[] acls = new String[n];
        for (int i = 0; i < n; i++) {
            EmbeddedChunk row = rows.get(i);
            ids[i] = row.chunkId();
            docIds[i] = row.chunk().docId();
            indexes[i] = row.chunk().chunkIndex();
            titles[i] = row.chunk().title();
            contents[i] = row.chunk().text();
            metadata[i] = toJson(row.chunk().metadata());
            models[i] = row.model();
            vectors[i] = new PGvector(row.vector()).toString();
            versions[i] = row.chunk().docVersion();
            tenants[i] = row.chunk().tenant();
            acls[i] = toJson(row.chunk().acl());
        }
        Set<String> batchModels = new HashSet<>(Arrays.asList(models));
        // The table lock comes first: a switch (PgCopies renames tables in one transaction) then waits for
        // this write, or this write waits for the switch and sees the table and registry entry it made.
        withConnection(conn -> Mono.from(conn.beginTransaction())
                .then(Mono.from(conn.createStatement("LOCK TABLE " + table + " IN ROW EXCLUSIVE MODE").execute())
                        .flatMap(result -> Mono.from(result.getRowsUpdated())))
                .then(liveModel(conn))
                .flatMap(live -> batchModels.stream().allMatch(live::equals) ? Mono.just(live)
                        : Mono.error(new ModelMismatchException(name(), live, String.join(", ", batchModels))))
                .then(Mono.from(conn.createStatement(upsertSql)
                                .bind("$1", ids).bind("$2", docIds).bind("$3", indexes).bind("$4", titles)
                                .bind("$5", contents).bind("$6", metadata).bind("$7", models).bind("$8", vectors)
                                .bind("$9", versions).bind("$10", tenants).bind("$11", acls).execute())
                        .flatMap(result -> Mono.from(result.getRowsUpdated())))
                .flatMap(written -> Mono.from(conn.commitTransaction()).thenReturn(written))
                .onErrorResume(e -> Mono.from(conn.rollbackTransaction()).then(Mono.error(e))),
                "upsert " + n + " chunks");
    }

    private Mono<String> liveModel(Connection conn) {
        return Flux.from(conn.createStatement("SELECT model FROM " + PgSchema.REGISTRY_TABLE + " WHERE table_name = $1")
                        .bind("$1", table).execute())
                .flatMap(result -> result.map((row, meta) -> row.get("model", String.class)))
                .next()
                .switchIfEmpty(Mono.error(() -> new StoreException("pgvector table " + table
                        + " has no entry in " + PgSchema.REGISTRY_TABLE + "; it was dropped or is being switched")));
    }

    @Override
    public String liveModel() {
        return withConnection(this::liveModel, "look up the model");
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
        if (query.mode() != SearchMode.DENSE) {
            throw new UnsupportedOperationException(query.mode().wireName() + " search is not built yet");
        }
        return searchDense(query.vector(), query.topK(), query.filter());
    }

    private List<SearchHit> searchDense(float[] vector, int topK, MetadataFilter filter) {
        String literal = new PGvector(vector).toString();
        return withConnection(conn -> {
            String sql = filter.isEmpty() ? searchSql : filter.restricted() ? scopedSearchSql : filteredSearchSql;
            Statement statement = conn.createStatement(sql)
                    .bind("$1", literal).bind("$2", topK);
            if (!filter.isEmpty()) {
                PgFilter.bind(statement, filter, toJson(filter.equalTo()));
            }
            return Flux.from(statement.execute())
                    .flatMap(result -> result.map((row, meta) -> toHit(row)))
                    .collectList();
        }, "search");
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
    }

    <T> T withConnection(Function<Connection, Publisher<T>> work, String what) {
        try {
            return Mono.usingWhen(pool.create(), conn -> Mono.from(work.apply(conn)), Connection::close)
                    .block(TIMEOUT);
        } catch (ModelMismatchException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException("pgvector: " + what + " on table " + table + " failed: "
                    + PgConnectFailure.explain(e, where).orElseGet(() -> describe(e)), e);
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() != null && t.getMessage().startsWith("java.")) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static SearchHit toHit(Row row) {
        return new SearchHit(
                row.get("doc_id", String.class),
                row.get("chunk_id", String.class),
                row.get("chunk_index", Integer.class),
                row.get("title", String.class),
                row.get("content", String.class),
                fromJson(row.get("metadata", String.class)),
                row.get("score", Double.class),
                row.get("model", String.class));
    }

    private static String toJson(Object metadata) {
        try {
            return Json.mapper().writeValueAsString(metadata);
        } catch (IOException e) {
            throw new StoreException("metadata cannot be written as JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fromJson(String json) {
        try {
            return Json.mapper().readValue(json, Map.class);
        } catch (IOException e) {
            throw new StoreException("metadata in pgvector is not JSON: " + json, e);
        }
    }
}
