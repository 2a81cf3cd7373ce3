package io.faro.stores.pgvector;

import io.faro.core.access.AccessScope;
import io.faro.core.store.StoreException;
import io.r2dbc.spi.Connection;
import java.util.List;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Creates FARO's pgvector table and index when missing, and refuses a table made for another model
 * or dimension: a store never mixes vectors of two models silently.
 */
final class PgSchema {

    /** Which model and dimension each FARO table holds. */
    static final String REGISTRY_TABLE = "faro_vector_tables";

    private final String table;
    private final String model;
    private final int dimension;

    PgSchema(String table, String model, int dimension) {
        this.table = table;
        this.model = model;
        this.dimension = dimension;
    }

    interface Executor {
        <T> T withConnection(Function<Connection, Publisher<T>> work, String what);
    }

    void apply(Executor executor) {
        try {
            executor.withConnection(this::createInTransaction, "create schema");
        } catch (StoreException e) {
            if (isMissingExtension(e)) {
                throw new StoreException("""
                        PostgreSQL has no pgvector extension. Install it for your server's version, e.g. on \
                        Debian/Ubuntu: scripts/install-test-deps.sh (builds Debian's pgvector source package), \
                        or `apt-get install postgresql-15-pgvector` where your release ships it; \
                        see https://github.com/pgvector/pgvector#installation""", e);
            }
            throw e;
        }
        List<Object[]> registered = executor.withConnection(conn -> Flux.from(conn.createStatement(
                                "SELECT model, dimension FROM " + REGISTRY_TABLE + " WHERE table_name = $1")
                        .bind("$1", table).execute())
                .flatMap(result -> result.map((row, meta) ->
                        new Object[] {row.get("model", String.class), row.get("dimension", Integer.class)}))
                .collectList(), "read table registry");
        Object[] existing = registered.getFirst();
        if (!model.equals(existing[0]) || dimension != (Integer) existing[1]) {
            throw new StoreException("pgvector table " + table + " holds vectors of model " + existing[0]
                    + " (dimension " + existing[1] + "), but FARO is configured for " + model + " (dimension "
                    + dimension + "). Set FARO_EMBEDDING_MODEL=" + existing[0] + " (faro reembed --model NAME moves the"
                    + " stores to another model), or use another FARO_PG_TABLE.");
        }
    }

    private Publisher<Long> createInTransaction(Connection conn) {
        List<String> ddl = List.of(
                "SELECT pg_advisory_xact_lock(hashtext('faro-schema'))",
                "CREATE EXTENSION IF NOT EXISTS vector",
                "CREATE TABLE IF NOT EXISTS " + REGISTRY_TABLE + " (table_name text PRIMARY KEY, model text NOT NULL,"
                        + " dimension int NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE IF NOT EXISTS " + table + " (chunk_id text PRIMARY KEY, doc_id text NOT NULL,"
                        + " doc_version bigint NOT NULL DEFAULT 0,"
                        + " chunk_index int NOT NULL, title text NOT NULL, content text NOT NULL,"
                        + " metadata jsonb NOT NULL DEFAULT '{}', model text NOT NULL,"
                        + " embedding vector(" + dimension + ") NOT NULL,"
                        + " updated_at timestamptz NOT NULL DEFAULT now(),"
                        + " tenant text NOT NULL DEFAULT '" + AccessScope.DEFAULT_TENANT + "',"
                        + " acl text[] NOT NULL DEFAULT '{}')",
                // tables made before documents had versions
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS doc_version bigint NOT NULL DEFAULT 0",
                // tables made before tenants: every row they hold is the default tenant's, open to all of it (a
                // constant default fills existing rows without rewriting the table)
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS tenant text NOT NULL DEFAULT '"
                        + AccessScope.DEFAULT_TENANT + "'",
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS acl text[] NOT NULL DEFAULT '{}'",
                "CREATE INDEX IF NOT EXISTS " + table + "_doc_id_idx ON " + table + " (doc_id)",
                // a small tenant's searches can be answered exactly from this index, when the planner finds that
                // cheaper than scanning the HNSW graph iteratively
                "CREATE INDEX IF NOT EXISTS " + table + "_tenant_idx ON " + table + " (tenant)",
                "CREATE INDEX IF NOT EXISTS " + table + "_acl_idx ON " + table + " USING gin (acl)",
                "CREATE INDEX IF NOT EXISTS " + table + "_embedding_idx ON " + table
                        + " USING hnsw (embedding vector_cosine_ops)");
        Mono<Long> statements = Flux.fromIterable(ddl)
                .concatMap(sql -> Flux.from(conn.createStatement(sql).execute())
                        .concatMap(result -> result.getRowsUpdated()))
                .then(Mono.from(conn.createStatement("INSERT INTO " + REGISTRY_TABLE
                                + " (table_name, model, dimension) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                        .bind("$1", table).bind("$2", model).bind("$3", dimension).execute()))
                .flatMap(result -> Mono.from(result.getRowsUpdated()));
        return Mono.from(conn.beginTransaction())
                .then(statements)
                .flatMap(rows -> Mono.from(conn.commitTransaction()).thenReturn(rows))
                .onErrorResume(e -> Mono.from(conn.rollbackTransaction()).then(Mono.error(e)));
    }

    private static boolean isMissingExtension(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("\"vector\"")
                    && (message.contains("not available") || message.contains("control file"))) {
                return true;
            }
        }
        return false;
    }
}
