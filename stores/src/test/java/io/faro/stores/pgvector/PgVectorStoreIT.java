package io.faro.stores.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.PgSettings;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.Fusion;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.SearchMode;
import io.faro.core.store.SearchModeUnavailableException;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.StoreException;
import io.faro.core.store.StoreQuery;
import io.faro.core.store.VectorStore;
import io.faro.core.store.VectorStoreContract;
import io.faro.devstack.testing.TestPostgres;
import io.faro.stores.keyword.KeywordTerms;
import io.faro.stores.testing.CapturedLogs;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Wrapped;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The store contract against a real PostgreSQL with pgvector, plus what is particular to pgvector. */
class PgVectorStoreIT extends VectorStoreContract {

    @Override
    protected VectorStore open(String name, String model, int dimension) {
        return PgVectorStore.open(TestPostgres.url(), name, model, dimension);
    }

    @Test
    void shouldGiveATableMadeBeforeTenantsItsTenantAndAclColumnsWithEveryRowInTheDefaultTenant() {
        store.upsert(List.of(chunk("old", 0, Map.of(), 1, 0, 0)));
        ((PgVectorStore) store).withConnection(conn -> Flux.from(conn.createStatement("ALTER TABLE " + storeName
                        + " DROP COLUMN tenant, DROP COLUMN acl").execute()).flatMap(r -> r.getRowsUpdated()).then(),
                "make the table as it was before tenants");
        store.close();

        store = open(storeName, MODEL, 3);

        assertThat(store.search(new float[] {1, 0, 0}, 5,
                MetadataFilter.NONE.within(AccessScope.of("default", Set.of()))))
                .extracting(SearchHit::docId).containsExactly("old");
        assertThat(store.search(new float[] {1, 0, 0}, 5, MetadataFilter.NONE.within(AccessScope.of("acme", Set.of()))))
                .isEmpty();
        assertThat(store.describe("old").acl()).isEmpty();
    }

    @Test
    void shouldKeepAChunksVectorAndTermsInItsRowAndMoveOnlyAnOversizedRowsTextOut() {
        float[] vector = new float[384];
        vector[0] = 1;
        // about 1.3 kB of words that compress poorly, as a chunk's text does: with the vector, over the 2 kB at
        // which PostgreSQL's default would move the vector out of the row
        String paragraph = String.join(" ", IntStream.range(0, 150).mapToObj(i -> "term" + i * 7919 % 10007).toList());
        store.close();
        storeName += "_wide"; // a table of real vectors' size: the contract's have 3 dimensions
        store = open(storeName, MODEL, 384);
        store.upsert(List.of(textChunk("usual", paragraph, vector)));

        assertThat(query("SELECT count(*) FROM " + toastTable())).isZero();

        String longText = "zeppelin " + String.join(" ", IntStream.range(0, 3000)
                .mapToObj(i -> "term" + i * 7919 % 100_003).toList()); // 30 kB, more than a page compressed
        store.upsert(List.of(textChunk("oversized", longText, vector)));

        assertThat(query("SELECT count(*) FROM " + toastTable())).isPositive();
        assertThat(store.search(keyword("zeppelin"))).singleElement()
                .satisfies(hit -> assertThat(hit.text()).isEqualTo(longText));
    }

    @Test
    void shouldWriteItsGinIndexesThroughAtOnceEvenInATableMadeBefore() {
        sql("ALTER INDEX " + storeName + "_keyword_idx SET (fastupdate = on)");
        sql("ALTER INDEX " + storeName + "_acl_idx SET (fastupdate = on)");
        store.upsert(List.of(textChunk("before", "written while the index had a pending list", 1, 0, 0)));
        store.close();

        store = open(storeName, MODEL, 3);

        for (String index : List.of("_keyword_idx", "_acl_idx")) {
            String options = ((PgVectorStore) store).withConnection(conn -> Flux.from(conn.createStatement(
                            "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = $1")
                    .bind("$1", storeName + index).execute())
                    .flatMap(r -> r.map((row, meta) -> row.get(0, String.class))).next(), "read the index's options");
            assertThat(options).isEqualTo("fastupdate=off");
        }
        assertThat(store.search(keyword("pending"))).extracting(SearchHit::chunkId).containsExactly("before#0");
    }

    @Test
    void shouldSetEachConnectionUpOnceWhenItOpensNotAtEveryLoan() {
        PgVectorStore pg = (PgVectorStore) store;
        assertThat(show(pg, "hnsw.iterative_scan")).isEqualTo("relaxed_order");
        pg.withConnection(conn -> Flux.from(conn.createStatement("SET plan_cache_mode = auto").execute())
                .flatMap(Result::getRowsUpdated).then(), "change a setting on a lent connection");

        // the one idle connection is lent again as it was left: no SET ran before the loan (a round trip each)
        assertThat(show(pg, "plan_cache_mode")).isEqualTo("auto");
    }

    @Test
    void shouldWalkTheHnswIndexWithTheCandidatesConfiguredOnEveryConnection() {
        PgSettings pg = FaroConfig.from(Env.of(Map.of(FaroConfig.PG_URL, TestPostgres.url(),
                FaroConfig.PG_TABLE, storeName, FaroConfig.PG_EF_SEARCH, "123"))).pg();
        store.close();

        try (PgVectorStore configured = PgVectorStore.open(pg, storeName, MODEL, 3, "english")) {
            store = configured;
            assertThat(show(configured, "hnsw.ef_search")).isEqualTo("123");
            assertThat(configured.<String>withPlanOnceConnection(conn -> Flux.from(conn.createStatement(
                            "SELECT current_setting('hnsw.ef_search')").execute())
                    .flatMap(r -> r.map((row, meta) -> row.get(0, String.class))).next(), "show hnsw.ef_search"))
                    .isEqualTo("123");
        }
        store = open(storeName, MODEL, 3);
        assertThat(show((PgVectorStore) store, "hnsw.ef_search"))
                .isEqualTo(String.valueOf(FaroConfig.DEFAULT_PG_EF_SEARCH));
    }

    @Test
    void shouldBuildTheHnswIndexWithTheConfiguredSettingsAndSayWhenAnOlderIndexWasBuiltWithOthers() {
        store.close();
        String table = storeName + "_m8";
        PgSettings pg = FaroConfig.from(Env.of(Map.of(FaroConfig.PG_URL, TestPostgres.url(),
                FaroConfig.PG_TABLE, table, FaroConfig.PG_HNSW_M, "8", FaroConfig.PG_HNSW_EF_CONSTRUCTION, "40"))).pg();
        try (PgVectorStore built = PgVectorStore.open(pg, table, MODEL, 3, "english")) {
            store = built;
            assertThat(indexOptions(built, table)).isEqualTo("{m=8,ef_construction=40}");
        }

        // opened again with pgvector's defaults, the index stays as built, and the log says how to build it again
        CapturedLogs logs = CapturedLogs.start();
        try {
            store = open(table, MODEL, 3);
            assertThat(indexOptions((PgVectorStore) store, table)).isEqualTo("{m=8,ef_construction=40}");
            assertThat(logs.text()).contains("WARN").contains(table)
                    .contains("built with m = 8, ef_construction = 40")
                    .contains("ask for m = 16, ef_construction = 64").contains("faro rebuild pgvector");
        } finally {
            logs.stop();
        }
        // the settings it was built with are the ones asked for: nothing to say
        logs = CapturedLogs.start();
        try (PgVectorStore again = PgVectorStore.open(pg, table, MODEL, 3, "english")) {
            assertThat(logs.text()).doesNotContain("HNSW index was built with");
        } finally {
            logs.stop();
        }

        // built again in place with other settings, as the benchmarks compare them
        ((PgVectorStore) store).withConnection(conn -> Flux.fromIterable(
                        PgVectorStore.hnswReindex(table, new FaroConfig.HnswBuild(12, 24)))
                .concatMap(sql -> Flux.from(conn.createStatement(sql).execute()).flatMap(Result::getRowsUpdated))
                .then(), "build the index again");
        assertThat(indexOptions((PgVectorStore) store, table)).isEqualTo("{m=12,ef_construction=24}");
    }

    private static String indexOptions(PgVectorStore pg, String table) {
        return pg.withConnection(conn -> Flux.from(conn.createStatement(
                        "SELECT reloptions::text FROM pg_class WHERE relname = $1").bind("$1", table + "_embedding_idx")
                .execute()).flatMap(r -> r.map((row, meta) -> row.get(0, String.class))).next(), "index options");
    }

    @Test
    void shouldPlanAnUnfilteredKeywordOrHybridSearchOnceAndAFilteredOneForItsValues() {
        store.upsert(List.of(textChunk("a", "running shoes", 1, 0, 0), textChunk("b", "walking boots", 0, 1, 0)));
        PgVectorStore pg = (PgVectorStore) store;
        StoreQuery filtered = new StoreQuery(SearchMode.HYBRID, new float[] {0, 1, 0}, "boots", 10,
                MetadataFilter.NONE.within(AccessScope.of("default", Set.of())), false);

        for (int run = 0; run < 3; run++) {
            assertThat(store.search(hybrid("shoes")).getFirst().docId()).isEqualTo("a");
            assertThat(store.search(keyword("shoes"))).extracting(SearchHit::docId).containsExactly("a");
            assertThat(store.search(filtered).getFirst().docId()).isEqualTo("b");
        }

        // each pool's one connection served its searches, and PostgreSQL counted how it planned them
        assertThat(plansOfSearches(pg::withPlanOnceConnection)).containsExactly(6L, 0L);
        assertThat(plansOfSearches(pg::withConnection)).containsExactly(0L, 3L);
    }

    /** Generic and custom plans chosen for the keyword and hybrid searches prepared on the connection lent next. */
    private static List<Long> plansOfSearches(PgSchema.Executor connection) {
        return connection.withConnection(conn -> Flux.from(conn.createStatement("""
                        SELECT coalesce(sum(generic_plans), 0)::bigint, coalesce(sum(custom_plans), 0)::bigint
                        FROM pg_prepared_statements WHERE statement LIKE '%' || 'keyword' || ' AS (%'""").execute())
                .flatMap(r -> r.map((row, meta) -> List.of(row.get(0, Long.class), row.get(1, Long.class)))).next(),
                "count the plans of searches");
    }

    private static String show(PgVectorStore pg, String setting) {
        return pg.withConnection(conn -> Flux.from(conn.createStatement("SELECT current_setting('" + setting + "')")
                .execute()).flatMap(r -> r.map((row, meta) -> row.get(0, String.class))).next(), "show " + setting);
    }

    private String toastTable() {
        return ((PgVectorStore) store).withConnection(conn -> Flux.from(conn.createStatement(
                        "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = $1::regclass")
                .bind("$1", storeName).execute()).flatMap(r -> r.map((row, meta) -> row.get(0, String.class))).next(),
                "find the table's TOAST table");
    }

    private long query(String sql) {
        return ((PgVectorStore) store).withConnection(conn -> Flux.from(conn.createStatement(sql).execute())
                .flatMap(r -> r.map((row, meta) -> row.get(0, Long.class))).next(), sql);
    }

    // ---- the keyword side: what is particular to pgvector ----

    private PgVectorStore openIn(String language) {
        return PgVectorStore.open(PgSettings.of(TestPostgres.url(), storeName), storeName, MODEL, 3, language);
    }

    private void sql(String statement) {
        ((PgVectorStore) store).withConnection(conn -> Flux.from(conn.createStatement(statement).execute())
                .flatMap(result -> result.getRowsUpdated()).then(), statement);
    }

    private static StoreQuery keyword(String text) {
        return new StoreQuery(SearchMode.KEYWORD, null, text, 10, MetadataFilter.NONE, false);
    }

    private static StoreQuery hybrid(String text) {
        return new StoreQuery(SearchMode.HYBRID, new float[] {1, 0, 0}, text, 10, MetadataFilter.NONE, false);
    }

    @Test
    void shouldRefuseKeywordAndHybridSearchOfATableAnalysedInAnotherLanguageButKeepDenseSearch() {
        store.upsert(List.of(textChunk("a", "running shoes", 1, 0, 0)));

        try (PgVectorStore german = openIn("german")) {
            for (StoreQuery query : List.of(keyword("shoes"), hybrid("shoes"))) {
                assertThatThrownBy(() -> german.search(query)).as(query.mode().wireName())
                        .isInstanceOf(SearchModeUnavailableException.class)
                        .hasMessageContaining("'english'").hasMessageContaining("'german'")
                        .hasMessageContaining("faro rebuild pgvector");
            }
            assertThat(german.search(new float[] {1, 0, 0}, 5)).extracting(SearchHit::docId).containsExactly("a");
            // what it writes meanwhile is analysed in the table's language, so the table never mixes two
            german.upsert(List.of(textChunk("b", "the runners", 0, 1, 0)));
        }

        assertThat(store.search(keyword("runner"))).extracting(SearchHit::docId).containsExactly("b");
    }

    @Test
    void shouldAnswerAQuestionOfStopWordsOnlyWithNothingByKeywordAndTheDenseOrderByHybrid() {
        store.upsert(List.of(textChunk("a", "alpha", 1, 0, 0), textChunk("b", "the of and", 0.5f, 1, 0)));

        assertThat(store.search(keyword("the of and"))).isEmpty();
        List<SearchHit> hits = store.search(new StoreQuery(SearchMode.HYBRID, new float[] {1, 0, 0}, "the of and", 2,
                MetadataFilter.NONE, true));

        assertThat(hits).extracting(SearchHit::docId).containsExactly("a", "b");
        assertThat(hits.get(0).score()).isCloseTo(Fusion.rrf(1, Fusion.DENSE_WEIGHT), within(1e-9));
        assertThat(hits.get(1).score()).isCloseTo(Fusion.rrf(2, Fusion.DENSE_WEIGHT), within(1e-9));
        assertThat(hits.get(1).ranks().denseRank()).isEqualTo(2);
        assertThat(hits.get(1).ranks().denseScore()).isCloseTo(0.5 / Math.sqrt(1.25), within(1e-6));
        assertThat(hits.get(1).ranks().keywordRank()).isNull();
    }

    @Test
    void shouldGiveATableMadeBeforeKeywordSearchItsColumnsAndFindItsOldRowsByKeywordOnceRewritten() {
        EmbeddedChunk old = textChunk("old", "ledger of acme", 1, 0, 0);
        store.upsert(List.of(old));
        sql("ALTER TABLE " + storeName + " DROP COLUMN keyword_terms, DROP COLUMN keyword_length");
        sql("UPDATE " + PgSchema.REGISTRY_TABLE + " SET keyword_language = NULL"
                + " WHERE table_name = '" + storeName + "'");
        store.close();
        CapturedLogs logs = CapturedLogs.start();
        try {
            store = open(storeName, MODEL, 3);

            assertThat(logs.text()).contains("WARN").contains(storeName).contains("made before keyword search")
                    .contains("faro rebuild pgvector");
        } finally {
            logs.stop();
        }

        assertThat(store.search(new float[] {1, 0, 0}, 5)).extracting(SearchHit::docId).containsExactly("old");
        assertThat(store.search(keyword("ledger"))).isEmpty();
        store.upsert(List.of(old));
        assertThat(store.search(keyword("ledger"))).extracting(SearchHit::docId).containsExactly("old");
        assertThat(store.search(hybrid("ledger")).getFirst().score())
                .isCloseTo(Fusion.rrf(1, Fusion.DENSE_WEIGHT) + Fusion.rrf(1, Fusion.KEYWORD_WEIGHT), within(1e-9));
    }

    @Test
    void shouldWriteAndFindTermsWithQuotesNonLatinScriptsAndOverlongWords() {
        String overlong = "x".repeat(5_000);
        String text = "O'Brien's café near C:\\temp\\files, \"quoted\" Москва, 東京タワー " + overlong + " ωμέγα";
        store.upsert(List.of(textChunk("mixed", text, 1, 0, 0), textChunk("plain", "nothing special here", 0, 1, 0)));

        for (String question : List.of("O'Brien", "Москва", "東京", "ωμέγα", "café")) {
            assertThat(store.search(keyword(question))).as(question).extracting(SearchHit::docId)
                    .containsExactly("mixed");
        }
        assertThat(store.search(keyword(overlong))).isEmpty();
    }

    @Test
    void shouldReadBackEveryColumnOfABinaryCopyAsWritten() {
        Map<String, Integer> terms = new LinkedHashMap<>();
        terms.put("o'brien", 1);
        terms.put("back\\slash", 2);
        terms.put("'\\''", 3);
        terms.put("москва", 1);
        terms.put("echo", 300);
        String docId = DocumentKey.of("acme", "doc");
        Chunk chunk = new Chunk(Chunk.idOf(docId, 3), docId, 42L, 3, "Tïtle", "text of doc ✓",
                Map.of("lang", "en", "n", 7), List.of("team-a", "o'brien"));
        byte[] copy = PgCopyRows.encode(List.of(new EmbeddedChunk(chunk, MODEL, 3, new float[] {0.25f, -1.5f, 3e-7f})),
                List.of(new KeywordTerms(terms, 307)));

        List<String> stored = ((PgVectorStore) store).withConnection(conn -> Mono.from(conn.beginTransaction())
                .thenMany(Flux.from(conn.createStatement("CREATE TEMP TABLE copied (" + PgCopyRows.COLUMN_TYPES
                        + ") ON COMMIT DROP").execute()).flatMap(Result::getRowsUpdated))
                .then(((PostgresqlConnection) ((Wrapped<?>) conn).unwrap()).copyIn("COPY copied ("
                        + PgCopyRows.COLUMNS + ") FROM STDIN (FORMAT binary)").from(copy).build())
                .thenMany(Flux.from(conn.createStatement("""
                        SELECT concat_ws(' | ', chunk_id, doc_id, chunk_index, title, content, metadata, model,
                                         embedding, doc_version, tenant, acl, keyword_length) AS entry FROM copied
                        UNION ALL
                        SELECT * FROM (SELECT lexeme || '=' || cardinality(positions) FROM copied,
                                       unnest(keyword_terms) ORDER BY 1) AS lexemes""").execute())
                        .flatMap(result -> result.map((row, meta) -> row.get(0, String.class))))
                .collectList()
                .flatMap(rows -> Mono.from(conn.rollbackTransaction()).thenReturn(rows)), "copy a row and read it back");

        assertThat(stored.getFirst()).isEqualTo(String.join(" | ", chunk.chunkId(), docId, "3", "Tïtle",
                "text of doc ✓", "{\"n\": 7, \"lang\": \"en\"}", MODEL, "[0.25,-1.5,3e-07]", "42", "acme",
                "{team-a,o'brien}", "307"));
        assertThat(stored.subList(1, stored.size())).containsExactlyInAnyOrder("o'brien=1", "back\\slash=2",
                "'\\''=3", "москва=1", "echo=" + PgTsVector.MAX_POSITIONS);
    }

    @Test
    void shouldScoreEveryTermFrequencyATsvectorCanHoldExactly() {
        List<EmbeddedChunk> chunks = new ArrayList<>();
        int[] repeats = {1, 2, 7, 40, 255, 256, 300};
        for (int repeat : repeats) {
            chunks.add(textChunk("echo" + repeat, "echo ".repeat(repeat) + "tail", 1, 0, 0));
        }
        chunks.add(textChunk("none", "silence", 0, 1, 0));
        store.upsert(chunks);

        List<SearchHit> hits = store.search(new StoreQuery(SearchMode.KEYWORD, null, "echo", 10, MetadataFilter.NONE,
                false));

        assertThat(hits).hasSize(repeats.length);
        for (int repeat : repeats) {
            SearchHit hit = hits.stream().filter(h -> h.docId().equals("echo" + repeat)).findFirst().orElseThrow();
            assertThat(hit.score()).as("tf " + repeat)
                    .isCloseTo(bm25(Math.min(repeat, PgTsVector.MAX_POSITIONS), repeat + 1, repeats.length,
                            repeats.length + 1), within(1e-9));
        }
    }

    @Test
    void shouldTakeTheCommonTermsOfALargeTableFromAnalyzeAndStillScoreByBm25() {
        int common = PgSearchSql.EXACT_COUNT_BELOW + 200;
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < common; i++) {
            chunks.add(textChunk("c" + i, "common filler number" + i, 1, 0, 0));
            if (chunks.size() == 500) {
                store.upsert(chunks);
                chunks.clear();
            }
        }
        chunks.add(textChunk("r", "rare common", 0, 1, 0));
        store.upsert(chunks);
        sql("ANALYZE " + storeName);
        store.close();
        store = open(storeName, MODEL, 3);
        ConnectionPool pool = PgVectorStore.pool(PgSettings.of(TestPostgres.url(), storeName),
                PgPlanning.FOR_EACH_RUN);
        Double[] shares;
        try {
            PgCommonTerms commonTerms = new PgCommonTerms(pool, storeName);
            commonTerms.refresh(Duration.ofSeconds(10));
            shares = commonTerms.shares(List.of("common", "rare"));
        } finally {
            pool.dispose();
        }

        List<SearchHit> hits = store.search(keyword("rare common"));

        // ANALYZE read every row; the rare term's share is known too, but a term that rare is counted
        long total = common + 1;
        assertThat(shares[0]).isCloseTo(1.0, within(1e-6));
        assertThat(shares[1]).isCloseTo(1.0 / total, within(1e-6));
        assertThat(hits.getFirst().docId()).isEqualTo("r");
        assertThat(hits.getFirst().score())
                .isCloseTo(bm25(1, 2, 1, total) + bm25(1, 2, total, total), within(1e-4));
        assertThat(hits.get(1).score()).isCloseTo(bm25(1, 3, total, total), within(1e-4));
    }

    @Test
    void shouldTakeCandidatesFromTheRarestTermsWhileTheCommonOnesWouldPassTheBudget() {
        // ten terms: candidates may match at most SCORE_BUDGET / 10 = 300 chunks; "common" matches 400
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            chunks.add(textChunk("c" + i, "common filler", 1, 0, 0));
        }
        chunks.add(textChunk("r", "rare common", 0, 1, 0));
        store.upsert(chunks);
        String unknown = " zzqa zzqb zzqc zzqd zzqe zzqf zzqg";

        List<SearchHit> rare = store.search(keyword("rare common zzqh" + unknown));
        List<SearchHit> common = store.search(keyword("common zzqh zzqi" + unknown));

        // the common term adds no candidates, but still counts in the score of the chunk the rare one found
        assertThat(rare).extracting(SearchHit::docId).containsExactly("r");
        assertThat(rare.getFirst().score()).isCloseTo(bm25(1, 2, 1, 401) + bm25(1, 2, 401, 401), within(1e-9));
        // a question whose rarer terms no chunk holds still takes its candidates from the rarest term that matches
        assertThat(common).hasSize(10);
    }

    @Test
    void shouldFillACopyWithoutItsSearchIndexesAndBuildThemOnceWhenFinished() {
        PgSettings pg = PgSettings.of(TestPostgres.url(), storeName);
        try (PgCopies copies = PgCopies.open(pg)) {
            StoreCopies.Copy copy = copies.createCopy(MODEL, 3);
            try (VectorStore filling = copy.store()) {
                filling.upsert(List.of(textChunk("a", "lighthouses guide ships", 1, 0, 0),
                        textChunk("b", "harbours shelter boats", 0, 1, 0)));
                assertThat(indexes(copy.name())).doesNotContain(copy.name() + "_embedding_idx m=16,ef_construction=64",
                        copy.name() + "_keyword_idx fastupdate=off");

                copies.finishCopy(copy.name());

                // built with the configured graph settings (here pgvector's defaults, given explicitly)
                assertThat(indexes(copy.name())).contains(copy.name() + "_embedding_idx m=16,ef_construction=64",
                        copy.name() + "_keyword_idx fastupdate=off");
                assertThat(query("SELECT reltuples::bigint FROM pg_class WHERE relname = '" + copy.name() + "'"))
                        .isEqualTo(2); // analysed
                assertThat(filling.search(hybrid("lighthouses"))).extracting(SearchHit::docId).first().isEqualTo("a");
            }
        }
    }

    @Test
    void shouldLogPostgresNoticeWhenACopysHnswGraphOutgrowsMaintenanceWorkMem() {
        String role = storeName + "_small_memory";
        sql("CREATE ROLE " + role + " LOGIN SUPERUSER");
        sql("ALTER ROLE " + role + " SET maintenance_work_mem = '1MB'"); // PostgreSQL's least
        CapturedLogs logs = CapturedLogs.start();
        try {
            PgSettings pg = PgSettings.of(TestPostgres.url().replace(PgSettings.LOCAL_USER + "@", role + "@"),
                    storeName);
            try (PgCopies copies = PgCopies.open(pg)) {
                StoreCopies.Copy copy = copies.createCopy(MODEL, 384);
                try (VectorStore filling = copy.store()) {
                    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
                    List<EmbeddedChunk> chunks = new ArrayList<>();
                    for (int i = 0; i < 1_200; i++) { // about 2 MB of graph: 384 floats and 32 neighbours a row
                        float[] vector = new float[384];
                        for (int d = 0; d < vector.length; d++) {
                            vector[d] = (float) random.nextDouble(-1, 1);
                        }
                        chunks.add(textChunk("d" + i, "chunk " + i, vector));
                    }
                    filling.upsert(chunks);
                }
                copies.finishCopy(copy.name());
            }

            assertThat(logs.text()).contains("building the search indexes of " + storeName + "__r")
                    .contains("(maintenance_work_mem 1MB)");
            assertThat(logs.text().lines().filter(line -> line.startsWith("WARN ")))
                    .anyMatch(line -> line.contains("hnsw graph no longer fits into maintenance_work_mem"));
        } finally {
            logs.stop();
            sql("DROP OWNED BY " + role);
            sql("DROP ROLE " + role);
        }
    }

    /** Each index of the table, as its name and its options: {@code name option=value,...}. */
    private List<String> indexes(String table) {
        return ((PgVectorStore) store).withConnection(conn -> Flux.from(conn.createStatement("""
                        SELECT i.relname || coalesce(' ' || array_to_string(i.reloptions, ','), '')
                        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                        WHERE x.indrelid = $1::regclass""").bind("$1", table).execute())
                .flatMap(r -> r.map((row, meta) -> row.get(0, String.class))).collectList(), "list indexes");
    }

    @Test
    void shouldGiveTheLiveTableItsOwnIndexNamesAcrossASwitchSoAStartBuildsNoSecondIndex() {
        store.upsert(List.of(textChunk("before", "running before the rebuild", 1, 0, 0)));
        switchToACopyHolding(textChunk("after", "running after the rebuild", 1, 0, 0));
        List<String> switched = indexes(storeName);

        store.close();
        store = open(storeName, MODEL, 3);

        assertThat(indexes(storeName)).containsExactlyInAnyOrderElementsOf(switched)
                .contains(storeName + "_embedding_idx m=16,ef_construction=64",
                        storeName + "_keyword_idx fastupdate=off")
                .hasSize(6);
        assertThat(store.search(keyword("running"))).extracting(SearchHit::docId).containsExactly("after");
    }

    /** A rebuild's steps: fills a new copy with these chunks, builds its indexes, switches it live, drops the old. */
    private void switchToACopyHolding(EmbeddedChunk... chunks) {
        try (PgCopies copies = PgCopies.open(PgSettings.of(TestPostgres.url(), storeName))) {
            StoreCopies.Copy copy = copies.createCopy(MODEL, 3);
            try (VectorStore rebuilt = copy.store()) {
                rebuilt.upsert(List.of(chunks));
            }
            copies.finishCopy(copy.name());
            copies.promote(copy.name());
            copies.dropPrevious();
        }
    }

    @Test
    void shouldSearchTheSwitchedTableThroughPlansMadeBeforeTheSwitch() {
        store.upsert(List.of(textChunk("before", "running before the rebuild", 1, 0, 0)));
        // plans made once, on the live store's connections, for the table that is live now
        for (int run = 0; run < 2; run++) {
            assertThat(store.search(hybrid("running")).getFirst().docId()).isEqualTo("before");
            assertThat(store.search(keyword("running"))).extracting(SearchHit::docId).containsExactly("before");
        }
        switchToACopyHolding(textChunk("after", "running after the rebuild", 1, 0, 0));

        // the same store, the same connections: PostgreSQL plans the statements again for the table now live
        assertThat(store.search(hybrid("running")).getFirst().docId()).isEqualTo("after");
        assertThat(store.search(keyword("running"))).extracting(SearchHit::docId).containsExactly("after");
    }

    @Test
    void shouldCarryTheKeywordSideIntoACopyAndMoveATableToAnotherLanguageByARebuild() {
        store.upsert(List.of(textChunk("before", "running before the rebuild", 1, 0, 0)));
        PgSettings pg = PgSettings.of(TestPostgres.url(), storeName);

        try (PgCopies copies = PgCopies.open(pg, "standard")) {
            StoreCopies.Copy copy = copies.createCopy(MODEL, 3);
            try (VectorStore rebuilt = copy.store()) {
                rebuilt.upsert(List.of(textChunk("after", "running after the rebuild", 1, 0, 0)));
            }
            copies.promote(copy.name());
        }

        // the live name now holds the copy, analysed by the standard analyser: no stemming, no stop words
        try (PgVectorStore standard = openIn("standard")) {
            assertThat(standard.search(keyword("running"))).extracting(SearchHit::docId).containsExactly("after");
            assertThat(standard.search(keyword("the"))).extracting(SearchHit::docId).containsExactly("after");
        }
        assertThatThrownBy(() -> store.search(keyword("running"))).isInstanceOf(SearchModeUnavailableException.class)
                .hasMessageContaining("faro rebuild pgvector");
    }

    @Test
    void shouldLetTwoWritersOfTheSameChunksInOppositeOrdersWaitForEachOtherRatherThanDeadlock() throws Exception {
        // a sink and a rebuild's catch-up write the same chunks into the live table, each in its own order
        List<EmbeddedChunk> chunks = IntStream.range(0, 200)
                .mapToObj(i -> chunk("doc" + i, 0, Map.of(), 1, i, 0)).toList();
        store.upsert(chunks);
        CapturedLogs logs = CapturedLogs.start();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try (VectorStore other = open(storeName, MODEL, 3)) {
            List<Future<?>> writes = List.of(
                    writers.submit(() -> IntStream.range(0, 20).forEach(round -> store.upsert(chunks))),
                    writers.submit(() -> IntStream.range(0, 20).forEach(round -> other.upsert(chunks.reversed()))));
            for (Future<?> write : writes) {
                write.get(2, TimeUnit.MINUTES);
            }
        } finally {
            writers.shutdownNow();
            logs.stop();
        }
        assertThat(logs.text()).doesNotContain("deadlock");
        assertThat(store.count()).isEqualTo(200);
    }

    @Test
    void shouldMakeAWriteAgainThatTheServerRolledBackAsADeadlocksVictim() throws Exception {
        store.upsert(List.of(chunk("a", 0, Map.of(), 1, 0, 0), chunk("b", 0, Map.of(), 0, 1, 0)));
        CountDownLatch holdingB = new CountDownLatch(1);
        String upsertWaiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query LIKE 'INSERT INTO " + storeName + " %'";
        CapturedLogs logs = CapturedLogs.start();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (PgVectorStore another = (PgVectorStore) open(storeName, MODEL, 3)) {
            // another transaction holds b, and asks for a once the store's write holds a and waits for b; it never
            // checks for the deadlock first (its deadlock_timeout is long), so the server makes the store's write
            // the victim
            Future<?> other = threads.submit(() -> another.withConnection(conn -> Mono.from(conn.beginTransaction())
                    .then(rowsUpdated(conn, "SET LOCAL deadlock_timeout = '60s'"))
                    .then(rowsUpdated(conn, "UPDATE " + storeName + " SET title = 'other' WHERE chunk_id = 'b#0'"))
                    .then(Mono.fromRunnable(() -> {
                        holdingB.countDown();
                        await().atMost(Duration.ofSeconds(30)).until(() -> another.withConnection(waiting ->
                                Flux.from(waiting.createStatement(upsertWaiting).execute())
                                        .flatMap(r -> r.map((row, meta) -> row.get(0, Long.class))).next(),
                                "look for the waiting write") == 1);
                    }).subscribeOn(Schedulers.boundedElastic()))
                    .then(rowsUpdated(conn, "UPDATE " + storeName + " SET title = 'other' WHERE chunk_id = 'a#0'"))
                    .then(Mono.from(conn.commitTransaction())), "hold b, then ask for a"));
            assertThat(holdingB.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> write = threads.submit(() -> store.upsert(List.of(
                    chunk("a", 0, Map.of(), 1, 1, 0), chunk("b", 0, Map.of(), 1, 1, 0))));

            write.get(1, TimeUnit.MINUTES);
            other.get(1, TimeUnit.MINUTES);
        } finally {
            threads.shutdownNow();
            logs.stop();
        }
        assertThat(logs.text()).contains("WARN").contains("upsert 2 chunks on table " + storeName)
                .contains("deadlock detected").contains("making it again (retry 1 of " + PgVectorStore.ROLLED_BACK_RETRIES);
        // the write made again came last: both rows are as it wrote them
        assertThat(store.search(new float[] {1, 1, 0}, 2)).extracting(SearchHit::title).containsOnly("Title a", "Title b");
        assertThat(store.search(new float[] {1, 1, 0}, 2)).extracting(SearchHit::score)
                .allSatisfy(score -> assertThat(score).isCloseTo(1.0, within(0.001)));
    }

    private static Mono<Long> rowsUpdated(io.r2dbc.spi.Connection conn, String sql) {
        return Mono.defer(() -> Flux.from(conn.createStatement(sql).execute()).flatMap(Result::getRowsUpdated)
                .reduce(0L, Long::sum));
    }
}
