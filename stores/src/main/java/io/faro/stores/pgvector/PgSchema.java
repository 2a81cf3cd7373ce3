package io.faro.stores.pgvector;

import io.faro.core.access.AccessScope;
import io.faro.core.config.FaroConfig;
import io.faro.core.store.StoreException;
import io.r2dbc.spi.Connection;
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
 * Creates FARO's pgvector table and indexes when missing, and refuses a table made for another model
 * or dimension: a store never mixes vectors of two models silently.
 *
 * <p>Each chunk also carries its keyword side: its analysed terms as a {@code tsvector} (a GIN index finds the
 * chunks holding a term) and its number of terms, both {@code NULL} in rows written before keyword search
 * existed. The registry records, beside the model, the keyword analyser's language the table's terms were made
 * with, and whether it still holds such older rows ({@code keyword_incomplete}, until a rebuild makes a new table).
 */
final class PgSchema {

    private static final Logger LOG = LoggerFactory.getLogger(PgSchema.class);

    /** Which model and dimension each FARO table holds, and the language of its keyword terms. */
    static final String REGISTRY_TABLE = "faro_vector_tables";

    /**
     * Rows up to this many bytes are kept whole in their page, uncompressed: PostgreSQL's largest
     * {@code toast_tuple_target} for 8 kB pages. Only a larger row has its text, then its terms, compressed or
     * moved out.
     */
    static final int TOAST_TUPLE_TARGET = 8160;

    /** What the registry says of a table. */
    record Registered(String model, int dimension, String keywordLanguage, boolean keywordIncomplete) {
    }

    private final String table;
    private final String model;
    private final int dimension;
    private final String keywordLanguage;

    private final FaroConfig.HnswBuild hnsw;
    private final boolean deferSearchIndexes;

    /**
     * @param deferSearchIndexes for a copy a rebuild fills: its HNSW and keyword indexes are left out, to be built
     *                           once it is full ({@link #searchIndexes}); opened again without it, they are made
     */
    PgSchema(String table, String model, int dimension, String keywordLanguage, FaroConfig.HnswBuild hnsw,
             boolean deferSearchIndexes) {
        this.table = table;
        this.model = model;
        this.dimension = dimension;
        this.keywordLanguage = keywordLanguage;
        this.hnsw = hnsw;
        this.deferSearchIndexes = deferSearchIndexes;
    }

    /**
     * The indexes searches use and bulk loads are faster without: pgvector builds an HNSW graph from a full
     * table several times faster than it takes the same rows one insert at a time, and GIN likewise.
     */
    static List<String> searchIndexes(String table, FaroConfig.HnswBuild hnsw) {
        return List.of(
                hnswIndex(table, hnsw),
                "CREATE INDEX IF NOT EXISTS " + table + "_keyword_idx ON " + table + " USING gin (keyword_terms)"
                        + " WITH (fastupdate = off)");
    }

    /** The HNSW index of a table's vectors, built with these settings, unless the table has one. */
    static String hnswIndex(String table, FaroConfig.HnswBuild hnsw) {
        return "CREATE INDEX IF NOT EXISTS " + hnswIndexName(table) + " ON " + table
                + " USING hnsw (embedding vector_cosine_ops) WITH (" + hnsw.storageParameters() + ")";
    }

    static String hnswIndexName(String table) {
        return table + "_embedding_idx";
    }

    interface Executor {
        <T> T withConnection(Function<Connection, Publisher<T>> work, String what);
    }

    /** Creates or upgrades the table, checks its model, and says what the registry holds for it. */
    Registered apply(Executor executor) {
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
        Registered existing = executor.withConnection(conn -> Flux.from(conn.createStatement(
                                "SELECT model, dimension, keyword_language, keyword_incomplete FROM " + REGISTRY_TABLE
                                        + " WHERE table_name = $1")
                        .bind("$1", table).execute())
                .flatMap(result -> result.map((row, meta) -> new Registered(row.get("model", String.class),
                        row.get("dimension", Integer.class), row.get("keyword_language", String.class),
                        row.get("keyword_incomplete", Boolean.class))))
                .next(), "read table registry");
        if (!model.equals(existing.model()) || dimension != existing.dimension()) {
            throw new StoreException("pgvector table " + table + " holds vectors of model " + existing.model()
                    + " (dimension " + existing.dimension() + "), but FARO is configured for " + model + " (dimension "
                    + dimension + "). Set FARO_EMBEDDING_MODEL=" + existing.model() + " (faro reembed --model NAME"
                    + " moves the stores to another model), or use another FARO_PG_TABLE.");
        }
        if (existing.keywordIncomplete()) {
            LOG.warn("pgvector table {} was made before keyword search existed: the chunks written to it before"
                    + " then are found by dense search only, not by keyword or hybrid search, until they are written"
                    + " again. Run `faro rebuild pgvector` to index them all.", table);
        }
        if (!keywordLanguage.equals(existing.keywordLanguage())) {
            LOG.warn("pgvector table {} holds keyword terms analysed in '{}', but FARO_KEYWORD_LANGUAGE is '{}':"
                    + " keyword and hybrid searches are refused (dense search keeps working) and chunks are still"
                    + " analysed in '{}' until `faro rebuild pgvector` makes a copy in '{}'.", table,
                    existing.keywordLanguage(), keywordLanguage, existing.keywordLanguage(), keywordLanguage);
        }
        if (!deferSearchIndexes) {
            builtWith(executor).filter(built -> !built.equals(hnsw)).ifPresent(built -> LOG.warn(
                    "pgvector table {}'s HNSW index was built with {}, but {} and {} ask for {}: searches walk the"
                            + " graph as it was built until `faro rebuild pgvector` builds it again",
                    table, built.storageParameters(), FaroConfig.PG_HNSW_M, FaroConfig.PG_HNSW_EF_CONSTRUCTION,
                    hnsw.storageParameters()));
        }
        return existing;
    }

    /** The settings the table's HNSW index was built with; pgvector's defaults where it was given none. */
    private Optional<FaroConfig.HnswBuild> builtWith(Executor executor) {
        List<String> options = executor.withConnection(conn -> Flux.from(conn.createStatement(
                                "SELECT coalesce(c.reloptions, '{}') FROM pg_class c WHERE c.oid = to_regclass($1)")
                        .bind("$1", hnswIndexName(table)).execute())
                .flatMap(result -> result.map((row, meta) -> List.of(row.get(0, String[].class))))
                .next(), "read the HNSW index's settings");
        if (options == null) {
            return Optional.empty();
        }
        int m = FaroConfig.HnswBuild.DEFAULT.m();
        int efConstruction = FaroConfig.HnswBuild.DEFAULT.efConstruction();
        for (String option : options) {
            String[] pair = option.split("=", 2);
            switch (pair[0]) {
                case "m" -> m = Integer.parseInt(pair[1]);
                case "ef_construction" -> efConstruction = Integer.parseInt(pair[1]);
                default -> { }
            }
        }
        return Optional.of(new FaroConfig.HnswBuild(m, efConstruction));
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
                        + " acl text[] NOT NULL DEFAULT '{}', keyword_terms tsvector, keyword_length int)",
                // tables made before documents had versions
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS doc_version bigint NOT NULL DEFAULT 0",
                // tables made before tenants: every row they hold is the default tenant's, open to all of it (a
                // constant default fills existing rows without rewriting the table)
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS tenant text NOT NULL DEFAULT '"
                        + AccessScope.DEFAULT_TENANT + "'",
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS acl text[] NOT NULL DEFAULT '{}'",
                // tables made before keyword search: their rows have no keyword side until they are written again
                // (columns without a default are added without rewriting the table)
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS keyword_terms tsvector",
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS keyword_length int",
                // a row's vector and terms stay in the row, neither compressed nor moved out to TOAST, unless the
                // row outgrows a page (pgvector's default storage moves the vector out first): a TOAST fetch per
                // row made a scan of the vectors 20 times slower, and a keyword search, which reads every
                // candidate's terms once per term of the question, decompressed them each time. Rows written
                // before keep their layout until they are written again (`faro rebuild pgvector` rewrites all).
                "ALTER TABLE " + table + " ALTER COLUMN keyword_terms SET STORAGE MAIN",
                "ALTER TABLE " + table + " ALTER COLUMN embedding SET STORAGE MAIN",
                "ALTER TABLE " + table + " SET (toast_tuple_target = " + TOAST_TUPLE_TARGET + ")",
                "CREATE INDEX IF NOT EXISTS " + table + "_doc_id_idx ON " + table + " (doc_id)",
                // a small tenant's searches can be answered exactly from this index, when the planner finds that
                // cheaper than scanning the HNSW graph iteratively
                "CREATE INDEX IF NOT EXISTS " + table + "_tenant_idx ON " + table + " (tenant)",
                "CREATE INDEX IF NOT EXISTS " + table + "_acl_idx ON " + table + " USING gin (acl)",
                // GIN indexes written through at once, not by way of a pending list: every search reads all of a
                // pending list (up to 4 MB of terms written since the last vacuum), so during an ingest the planner
                // scanned the table instead and a hybrid search took three times as long; pgvector's HNSW inserts
                // cost far more than the direct GIN update. An index made before gets the setting, and its pending
                // list is moved into it once.
                "ALTER INDEX " + table + "_acl_idx SET (fastupdate = off)",
                "SELECT gin_clean_pending_list('" + table + "_acl_idx'::regclass)",
                "ALTER TABLE " + REGISTRY_TABLE + " ADD COLUMN IF NOT EXISTS keyword_language text",
                "ALTER TABLE " + REGISTRY_TABLE
                        + " ADD COLUMN IF NOT EXISTS keyword_incomplete boolean NOT NULL DEFAULT false");
        List<String> all = new ArrayList<>(ddl);
        if (!deferSearchIndexes) {
            // the keyword index written through too, as the acl index above
            all.addAll(searchIndexes(table, hnsw));
            all.add("ALTER INDEX " + table + "_keyword_idx SET (fastupdate = off)");
            all.add("SELECT gin_clean_pending_list('" + table + "_keyword_idx'::regclass)");
        }
        Mono<Long> statements = Flux.fromIterable(all)
                .concatMap(sql -> Flux.from(conn.createStatement(sql).execute())
                        .concatMap(result -> result.getRowsUpdated()))
                .then(Mono.from(conn.createStatement("INSERT INTO " + REGISTRY_TABLE
                                + " (table_name, model, dimension, keyword_language) VALUES ($1, $2, $3, $4)"
                                + " ON CONFLICT DO NOTHING")
                        .bind("$1", table).bind("$2", model).bind("$3", dimension).bind("$4", keywordLanguage)
                        .execute()))
                .flatMap(result -> Mono.from(result.getRowsUpdated()))
                // a table registered before keyword search gets the analyser's language now; the rows it holds
                // already have no keyword side
                .then(Mono.from(conn.createStatement("UPDATE " + REGISTRY_TABLE + " SET keyword_language = $2,"
                                + " keyword_incomplete = EXISTS (SELECT 1 FROM " + table + ")"
                                + " WHERE table_name = $1 AND keyword_language IS NULL")
                        .bind("$1", table).bind("$2", keywordLanguage).execute()))
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
