package io.faro.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VectorStore} must do. Each implementation's test extends this class; each test
 * runs in a fresh table or collection.
 */
public abstract class VectorStoreContract {

    private static final AtomicInteger NAMES = new AtomicInteger();
    protected static final String MODEL = "contract-model";

    protected VectorStore store;
    protected String storeName;

    /** Opens the store on a table or collection of this name, creating it for the model and dimension. */
    protected abstract VectorStore open(String name, String model, int dimension);

    @BeforeEach
    void openStore() {
        storeName = "contract_" + NAMES.incrementAndGet() + "_" + (System.nanoTime() % 1_000_000);
        store = open(storeName, MODEL, 3);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static EmbeddedChunk chunk(String docId, int index, Map<String, Object> metadata, float... vector) {
        Chunk chunk = new Chunk(Chunk.idOf(docId, index), docId, 1L, index, "Title " + docId, "text of " + docId + " " + index,
                metadata);
        return new EmbeddedChunk(chunk, MODEL, vector.length, vector);
    }

    @Test
    void shouldRankByCosineSimilarityBestFirst() {
        store.upsert(List.of(chunk("a", 0, Map.of(), 1, 0, 0), chunk("b", 0, Map.of(), 0, 1, 0),
                chunk("c", 0, Map.of(), 1, 1, 0), chunk("d", 0, Map.of(), -1, 0, 0)));

        List<SearchHit> hits = store.search(new float[] {1, 0.1f, 0}, 4);

        assertThat(hits).extracting(SearchHit::chunkId).containsExactly("a#0", "c#0", "b#0", "d#0");
        assertThat(hits.getFirst().score()).isCloseTo(0.995, within(0.001));
        assertThat(hits.getLast().score()).isCloseTo(-0.995, within(0.001));
    }

    @Test
    void shouldScoreIndependentlyOfVectorLength() {
        store.upsert(List.of(chunk("a", 0, Map.of(), 10, 0, 0)));

        assertThat(store.search(new float[] {0.5f, 0, 0}, 1).getFirst().score()).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void shouldLimitToTopK() {
        store.upsert(List.of(chunk("a", 0, Map.of(), 1, 0, 0), chunk("a", 1, Map.of(), 1, 1, 0),
                chunk("a", 2, Map.of(), 0, 1, 0)));

        assertThat(store.search(new float[] {1, 0, 0}, 2)).hasSize(2);
    }

    @Test
    void shouldReplaceChunkOnRepeatedUpsert() {
        store.upsert(List.of(chunk("a", 0, Map.of("v", 1), 1, 0, 0)));
        store.upsert(List.of(chunk("a", 0, Map.of("v", 2), 0, 1, 0)));

        assertThat(store.count()).isEqualTo(1);
        SearchHit hit = store.search(new float[] {0, 1, 0}, 1).getFirst();
        assertThat(hit.score()).isCloseTo(1.0, within(1e-5));
        assertThat(hit.metadata()).containsEntry("v", 2);
    }

    private static EmbeddedChunk version(long docVersion, String text) {
        return new EmbeddedChunk(new Chunk("a#0", "a", docVersion, 0, "T", text, Map.of()), MODEL, 3,
                new float[] {1, 0, 0});
    }

    @Test
    void shouldNotLetAnOlderDocumentVersionOverwriteANewerOne() {
        store.upsert(List.of(version(5, "version five")));

        store.upsert(List.of(version(3, "version three")));

        assertThat(store.search(new float[] {1, 0, 0}, 1).getFirst().text()).isEqualTo("version five");
        store.upsert(List.of(version(6, "version six")));
        assertThat(store.search(new float[] {1, 0, 0}, 1).getFirst().text()).isEqualTo("version six");
    }

    @Test
    void shouldKeepLastOfDuplicatesWithinOneBatch() {
        store.upsert(List.of(chunk("a", 0, Map.of("v", 1), 1, 0, 0), chunk("a", 0, Map.of("v", 2), 0, 0, 1)));

        assertThat(store.count()).isEqualTo(1);
        assertThat(store.search(new float[] {0, 0, 1}, 1).getFirst().metadata()).containsEntry("v", 2);
    }

    @Test
    void shouldCarryChunkFieldsAndMetadataThrough() {
        String text = "It's \"quoted\", {braced}, naïve — 日本語";
        Chunk chunk = new Chunk("doc/x.md#3", "doc/x.md", 9L, 3, "Título", text,
                Map.of("lang", "en", "n", 7, "ok", true, "tags", List.of("a", "b"), "nested", Map.of("k", "v")));
        store.upsert(List.of(new EmbeddedChunk(chunk, MODEL, 3, new float[] {1, 2, 3})));

        SearchHit hit = store.search(new float[] {1, 2, 3}, 1).getFirst();

        assertThat(hit.chunkId()).isEqualTo("doc/x.md#3");
        assertThat(hit.docId()).isEqualTo("doc/x.md");
        assertThat(hit.chunkIndex()).isEqualTo(3);
        assertThat(hit.title()).isEqualTo("Título");
        assertThat(hit.text()).isEqualTo(text);
        assertThat(hit.metadata()).containsEntry("lang", "en").containsEntry("n", 7).containsEntry("ok", true)
                .containsEntry("tags", List.of("a", "b")).containsEntry("nested", Map.of("k", "v"));
        assertThat(hit.model()).isEqualTo(MODEL);
    }

    @Test
    void shouldDeleteByChunkIdIgnoringUnknownIds() {
        store.upsert(List.of(chunk("a", 0, Map.of(), 1, 0, 0), chunk("b", 0, Map.of(), 0, 1, 0)));

        store.delete(List.of("a#0", "missing#0"));

        assertThat(store.count()).isEqualTo(1);
        assertThat(store.search(new float[] {1, 0, 0}, 5)).extracting(SearchHit::chunkId).containsExactly("b#0");
    }

    @Test
    void shouldDeleteEveryChunkOfADocument() {
        store.upsert(List.of(chunk("a", 0, Map.of(), 1, 0, 0), chunk("a", 1, Map.of(), 1, 1, 0),
                chunk("b", 0, Map.of(), 0, 1, 0)));

        store.deleteDocument("a");

        assertThat(store.count()).isEqualTo(1);
        assertThat(store.search(new float[] {1, 0, 0}, 5)).extracting(SearchHit::docId).containsOnly("b");
    }

    @Test
    void shouldFilterOnMetadataValues() {
        store.upsert(List.of(
                chunk("en", 0, Map.of("lang", "en", "year", 2024, "public", true), 1, 0, 0),
                chunk("de", 0, Map.of("lang", "de", "year", 2024, "public", true), 1, 0, 0),
                chunk("old", 0, Map.of("lang", "en", "year", 2020, "public", false), 1, 0, 0)));

        assertThat(store.search(new float[] {1, 0, 0}, 5, new MetadataFilter(Map.of("lang", "en"))))
                .extracting(SearchHit::docId).containsExactlyInAnyOrder("en", "old");
        assertThat(store.search(new float[] {1, 0, 0}, 5, new MetadataFilter(Map.of("lang", "en", "year", 2024))))
                .extracting(SearchHit::docId).containsExactly("en");
        assertThat(store.search(new float[] {1, 0, 0}, 5, new MetadataFilter(Map.of("public", false))))
                .extracting(SearchHit::docId).containsExactly("old");
    }

    @Test
    void shouldListChunkIdsOfADocument() {
        List<EmbeddedChunk> many = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add(chunk("big", i, Map.of(), 1, i, 0));
        }
        many.add(chunk("other", 0, Map.of(), 0, 0, 1));
        store.upsert(many);

        assertThat(store.chunkIdsOf("big")).hasSize(25).contains("big#0", "big#24").doesNotContain("other#0");
        assertThat(store.chunkIdsOf("missing")).isEmpty();
    }

    @Test
    void shouldDescribeADocumentWithItsNewestVersionAndWhenItBecameSearchable() {
        java.time.Instant before = java.time.Instant.now().minusSeconds(2);
        store.upsert(List.of(
                new EmbeddedChunk(new Chunk("a#0", "a", 1L, 0, "T", "old", Map.of()), MODEL, 3, new float[] {1, 0, 0}),
                new EmbeddedChunk(new Chunk("a#1", "a", 2L, 1, "T", "new", Map.of()), MODEL, 3, new float[] {0, 1, 0})));

        StoredDocument described = store.describe("a");

        assertThat(described.chunkIds()).containsExactlyInAnyOrder("a#0", "a#1");
        assertThat(described.version()).isEqualTo(2);
        assertThat(described.oldestVersion()).isEqualTo(1);
        assertThat(described.searchableSince()).hasValueSatisfying(at ->
                assertThat(at).isBetween(before, java.time.Instant.now().plusSeconds(2)));
        assertThat(store.describe("missing")).isEqualTo(StoredDocument.ABSENT);
    }

    @Test
    void shouldListEveryChunkWithItsVersion() {
        List<EmbeddedChunk> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1_050; i++) {
            many.add(chunk("d" + (i % 7), i, Map.of(), 1, i, 0));
        }
        store.upsert(many);

        Map<String, Long> versions = store.versions();

        assertThat(versions).hasSize(1_050).containsEntry("d0#0", 1L).containsEntry("d6#1049", 1L);
    }

    @Test
    void shouldVisitEveryChunkWithItsVersionInPagesOfAtMostThePageSize() {
        List<EmbeddedChunk> many = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add(chunk("d" + (i % 3), i, Map.of(), 1, i, 0));
        }
        store.upsert(many);
        List<Integer> pageSizes = new java.util.ArrayList<>();
        Map<String, Long> visited = new java.util.HashMap<>();

        store.visitVersions(4, page -> {
            pageSizes.add(page.size());
            page.forEach(v -> assertThat(visited.put(v.chunkId(), v.docVersion())).as("visited twice").isNull());
        });

        assertThat(pageSizes).hasSizeGreaterThanOrEqualTo(7).allSatisfy(size -> assertThat(size).isBetween(1, 4));
        assertThat(visited).hasSize(25).containsEntry("d0#0", 1L).containsEntry("d0#24", 1L);
    }

    @Test
    void shouldCountAndAnswerWhenReachable() {
        assertThat(store.count()).isZero();
        store.upsert(List.of(chunk("a", 0, Map.of(), 1, 0, 0), chunk("a", 1, Map.of(), 0, 1, 0)));

        assertThat(store.count()).isEqualTo(2);
        assertThat(store.isReachable()).isTrue();
    }

    @Test
    void shouldRefuseAnotherModelOrDimensionOnTheSameName() {
        store.upsert(List.of(chunk("a", 0, Map.of(), 1, 0, 0)));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> open(storeName, "other-model", 3).close())
                .isInstanceOf(StoreException.class).hasMessageContaining(MODEL).hasMessageContaining("other-model");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> open(storeName, MODEL, 5).close())
                .isInstanceOf(StoreException.class).hasMessageContaining("5");
    }

    @Test
    void shouldRefuseAWriteOfAnotherModelsVectorsNamingTheLiveModel() {
        store.upsert(List.of(chunk("a", 0, Map.of(), 1, 0, 0)));
        EmbeddedChunk other = new EmbeddedChunk(chunk("b", 0, Map.of(), 0, 1, 0).chunk(), "other-model", 3,
                new float[] {0, 1, 0});

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.upsert(List.of(chunk("c", 0, Map.of(), 1, 1, 0),
                        other)))
                .isInstanceOfSatisfying(ModelMismatchException.class,
                        e -> assertThat(e.liveModel()).isEqualTo(MODEL))
                .hasMessageContaining("other-model");
        assertThat(store.versions()).containsOnlyKeys("a#0");
        assertThat(store.liveModel()).isEqualTo(MODEL);
    }

    @Test
    void shouldReopenWithTheSameModelAndKeepItsData() {
        store.upsert(List.of(chunk("a", 0, Map.of(), 1, 0, 0)));

        try (VectorStore again = open(storeName, MODEL, 3)) {
            assertThat(again.count()).isEqualTo(1);
        }
    }

    /** A chunk of {@code id} in {@code tenant}, seen by {@code acl}, at this version. */
    protected static EmbeddedChunk tenantChunk(String tenant, String id, int index, List<String> acl, long version,
                                               float... vector) {
        String key = DocumentKey.of(tenant, id);
        Chunk chunk = new Chunk(Chunk.idOf(key, index), key, version, index, "Title " + id, tenant + " text of " + id,
                Map.of("lang", "en"), acl);
        return new EmbeddedChunk(chunk, MODEL, vector.length, vector);
    }

    private List<SearchHit> searchAs(AccessScope scope, int topK, float... vector) {
        return store.search(vector, topK, MetadataFilter.NONE.within(scope));
    }

    @Test
    void shouldKeepTheSameDocumentIdInTwoTenantsApart() {
        store.upsert(List.of(tenantChunk("default", "a", 0, List.of(), 1, 1, 0, 0),
                tenantChunk("acme", "a", 0, List.of(), 2, 1, 0, 0),
                tenantChunk("acme", "a", 1, List.of(), 2, 0, 1, 0)));

        assertThat(store.describe("a").chunkIds()).containsExactly("a#0");
        assertThat(store.describe(DocumentKey.of("acme", "a")).chunkIds()).hasSize(2);

        store.deleteDocument(DocumentKey.of("acme", "a"));

        assertThat(store.describe("a").chunkIds()).containsExactly("a#0");
        assertThat(store.describe(DocumentKey.of("acme", "a"))).isEqualTo(StoredDocument.ABSENT);
    }

    @Test
    void shouldReturnTopKOfTheCallersTenantOnlyEvenWhenOtherTenantsAreNearer() {
        List<EmbeddedChunk> chunks = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            chunks.add(tenantChunk("globex", "near" + i, 0, List.of(), 1, 1, i * 0.001f, 0));
        }
        for (int i = 0; i < 3; i++) {
            chunks.add(tenantChunk("acme", "far" + i, 0, List.of(), 1, 0, 1, i * 0.1f));
        }
        chunks.add(tenantChunk("default", "near", 0, List.of(), 1, 1, 0, 0));
        store.upsert(chunks);

        List<SearchHit> hits = searchAs(AccessScope.of("acme", Set.of()), 3, 1, 0, 0);

        assertThat(hits).hasSize(3).extracting(SearchHit::tenant).containsOnly("acme");
        assertThat(hits).extracting(SearchHit::documentId).containsExactlyInAnyOrder("far0", "far1", "far2");
        assertThat(searchAs(AccessScope.of("default", Set.of()), 5, 1, 0, 0))
                .extracting(SearchHit::docId).containsExactly("near");
        assertThat(searchAs(AccessScope.UNRESTRICTED, 50, 1, 0, 0)).hasSize(44);
    }

    @Test
    void shouldShowAChunkWithAnAclOnlyToCallersInOneOfItsGroups() {
        store.upsert(List.of(tenantChunk("acme", "open", 0, List.of(), 1, 1, 0, 0),
                tenantChunk("acme", "hr", 0, List.of("hr", "legal"), 1, 1, 0.1f, 0),
                tenantChunk("globex", "hr", 0, List.of("hr"), 1, 1, 0, 0)));

        assertThat(searchAs(AccessScope.of("acme", Set.of("eng")), 5, 1, 0, 0))
                .extracting(SearchHit::documentId).containsExactly("open");
        assertThat(searchAs(AccessScope.of("acme", Set.of("eng", "legal")), 5, 1, 0, 0))
                .extracting(SearchHit::documentId).containsExactlyInAnyOrder("open", "hr");
        assertThat(searchAs(AccessScope.of("acme", Set.of("hr")), 5, 1, 0, 0))
                .extracting(SearchHit::docId).containsExactlyInAnyOrder(DocumentKey.of("acme", "open"),
                        DocumentKey.of("acme", "hr"));
        assertThat(store.search(new float[] {1, 0, 0}, 5,
                new MetadataFilter(Map.of("lang", "de"), AccessScope.of("acme", Set.of("hr"))))).isEmpty();
        assertThat(store.describe(DocumentKey.of("acme", "hr")).acl()).containsExactly("hr", "legal");
    }

    @Test
    void shouldReplaceAnAclWhenTheChunkIsWrittenAgain() {
        store.upsert(List.of(tenantChunk("acme", "memo", 0, List.of("board"), 1, 1, 0, 0)));
        AccessScope eng = AccessScope.of("acme", Set.of("eng"));
        assertThat(searchAs(eng, 5, 1, 0, 0)).isEmpty();

        store.upsert(List.of(tenantChunk("acme", "memo", 0, List.of("board", "eng"), 2, 1, 0, 0)));

        assertThat(searchAs(eng, 5, 1, 0, 0)).extracting(SearchHit::documentId).containsExactly("memo");
        assertThat(store.describe(DocumentKey.of("acme", "memo")).acl()).containsExactly("board", "eng");
    }

    // ---- keyword and hybrid search (BM25 over the English analyser's terms of the chunk's context text) ----

    /** A chunk without a title, so that its terms are its text's alone. */
    protected static EmbeddedChunk textChunk(String docId, String text, float... vector) {
        Chunk chunk = new Chunk(Chunk.idOf(docId, 0), docId, 1L, 0, "", text, Map.of("lang", "en"));
        return new EmbeddedChunk(chunk, MODEL, vector.length, vector);
    }

    private List<SearchHit> search(SearchMode mode, String text, int topK, MetadataFilter filter, boolean explain,
                                   float... vector) {
        return store.search(new StoreQuery(mode, mode.usesVector() ? vector : null, text, topK, filter, explain));
    }

    /** BM25 as FARO defines it: Qdrant's IDF modifier times the chunk-side weight (k1 1.2, b 0.75, 100 terms). */
    protected static double bm25(int tf, int length, long holding, long total) {
        double idf = Math.log(1 + (total - holding + 0.5) / (holding + 0.5));
        return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / 100.0));
    }

    @Test
    void keywordSearchFindsTheChunksThatShareTheQuestionsWordsWithoutAVector() {
        store.upsert(List.of(textChunk("invoice", "Invoice XK42 was paid in March", 1, 0, 0),
                textChunk("weather", "Rain is expected over the hills", 0, 1, 0),
                textChunk("other", "Invoices are paid monthly", 0, 0, 1)));

        List<SearchHit> hits = search(SearchMode.KEYWORD, "status of XK42?", 5, MetadataFilter.NONE, false);

        assertThat(hits).extracting(SearchHit::docId).containsExactly("invoice");
        assertThat(search(SearchMode.KEYWORD, "paid invoices", 5, MetadataFilter.NONE, false))
                .extracting(SearchHit::docId).containsExactlyInAnyOrder("invoice", "other");
        assertThat(search(SearchMode.KEYWORD, "the of and", 5, MetadataFilter.NONE, false)).isEmpty();
    }

    @Test
    void keywordSearchScoresByBm25WithTheStoresDocumentFrequencies() {
        store.upsert(List.of(textChunk("a", "zephyr zephyr wind", 1, 0, 0),
                textChunk("b", "wind over water", 0, 1, 0),
                textChunk("c", "wind and rain", 0, 0, 1)));

        List<SearchHit> hits = search(SearchMode.KEYWORD, "zephyr wind", 3, MetadataFilter.NONE, false);

        assertThat(hits).extracting(SearchHit::docId).first().isEqualTo("a");
        assertThat(hits.getFirst().score()).isCloseTo(bm25(2, 3, 1, 3) + bm25(1, 3, 3, 3), within(1e-3));
        // "wind and rain" loses its stop word: the shorter chunk weighs the shared word more
        assertThat(hits.get(1).docId()).isEqualTo("c");
        assertThat(hits.get(1).score()).isCloseTo(bm25(1, 2, 3, 3), within(1e-3));
    }

    @Test
    void aRareWordOutweighsACommonOne() {
        List<EmbeddedChunk> chunks = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            chunks.add(textChunk("common" + i, "quarterly report number " + i, 1, 0, 0));
        }
        chunks.add(textChunk("rare", "the zanzibar office", 0, 1, 0));
        store.upsert(chunks);

        assertThat(search(SearchMode.KEYWORD, "zanzibar report", 3, MetadataFilter.NONE, false).getFirst().docId())
                .isEqualTo("rare");
    }

    @Test
    void hybridSearchFusesBothRankingsByReciprocalRank() {
        // dense order: near, both, words; keyword order: both, words (near holds no question word)
        store.upsert(List.of(textChunk("near", "unrelated prose entirely", 1, 0, 0),
                textChunk("both", "falcon project falcon project plan", 1, 0.3f, 0),
                textChunk("words", "falcon project budget overview", 0, 1, 0)));

        List<SearchHit> hits = search(SearchMode.HYBRID, "falcon project", 3, MetadataFilter.NONE, false, 1, 0, 0);

        assertThat(hits).extracting(SearchHit::docId).containsExactly("both", "words", "near");
        assertThat(hits.get(0).score()).isCloseTo(Fusion.rrf(2, Fusion.DENSE_WEIGHT)
                + Fusion.rrf(1, Fusion.KEYWORD_WEIGHT), within(1e-6));
        assertThat(hits.get(1).score()).isCloseTo(Fusion.rrf(3, Fusion.DENSE_WEIGHT)
                + Fusion.rrf(2, Fusion.KEYWORD_WEIGHT), within(1e-6));
        assertThat(hits.get(2).score()).isCloseTo(Fusion.rrf(1, Fusion.DENSE_WEIGHT), within(1e-6));
    }

    @Test
    void anExplainedHitCarriesItsRanksAndScoresOnEachSide() {
        store.upsert(List.of(textChunk("near", "unrelated prose entirely", 1, 0, 0),
                textChunk("both", "the falcon project plan", 1, 0.3f, 0)));

        List<SearchHit> hits = search(SearchMode.HYBRID, "falcon", 2, MetadataFilter.NONE, true, 1, 0, 0);

        SearchHit both = hits.stream().filter(h -> h.docId().equals("both")).findFirst().orElseThrow();
        assertThat(both.ranks().denseRank()).isEqualTo(2);
        assertThat(both.ranks().denseScore()).isCloseTo(1 / Math.sqrt(1.09), within(1e-3));
        assertThat(both.ranks().keywordRank()).isEqualTo(1);
        assertThat(both.ranks().keywordScore()).isCloseTo(bm25(1, 3, 1, 2), within(1e-3));
        SearchHit near = hits.stream().filter(h -> h.docId().equals("near")).findFirst().orElseThrow();
        assertThat(near.ranks().denseRank()).isEqualTo(1);
        assertThat(near.ranks().keywordRank()).isNull();
        assertThat(near.ranks().keywordScore()).isNull();
        assertThat(search(SearchMode.HYBRID, "falcon", 2, MetadataFilter.NONE, false, 1, 0, 0))
                .allSatisfy(hit -> assertThat(hit.explanation()).isEmpty());
    }

    @Test
    void hybridSearchWithoutAMatchingWordKeepsTheDenseOrder() {
        store.upsert(List.of(textChunk("a", "alpha", 1, 0, 0), textChunk("b", "beta", 0.5f, 1, 0)));

        assertThat(search(SearchMode.HYBRID, "nothing shared", 2, MetadataFilter.NONE, false, 1, 0, 0))
                .extracting(SearchHit::docId).containsExactly("a", "b");
    }

    @Test
    void keywordAndHybridSearchKeepToTheFilterAndTheCallersTenant() {
        Chunk acme = new Chunk("acme-k#0", DocumentKey.of("acme", "k"), 1L, 0, "", "ledger of acme", Map.of("lang", "en"));
        Chunk globex = new Chunk("globex-k#0", DocumentKey.of("globex", "k"), 1L, 0, "", "ledger of globex",
                Map.of("lang", "en"));
        Chunk german = new Chunk("acme-d#0", DocumentKey.of("acme", "d"), 1L, 0, "", "ledger deutsch",
                Map.of("lang", "de"));
        store.upsert(List.of(new EmbeddedChunk(acme, MODEL, 3, new float[] {1, 0, 0}),
                new EmbeddedChunk(globex, MODEL, 3, new float[] {1, 0, 0}),
                new EmbeddedChunk(german, MODEL, 3, new float[] {1, 0, 0})));
        MetadataFilter acmeEnglish = new MetadataFilter(Map.of("lang", "en"), AccessScope.of("acme", Set.of()));

        for (SearchMode mode : List.of(SearchMode.KEYWORD, SearchMode.HYBRID)) {
            assertThat(search(mode, "ledger", 5, acmeEnglish, false, 1, 0, 0)).as(mode.wireName())
                    .extracting(SearchHit::chunkId).containsExactly("acme-k#0");
        }
    }

    @Test
    void keywordSearchFollowsRewritesAndDeletes() {
        store.upsert(List.of(textChunk("a", "original wording", 1, 0, 0), textChunk("b", "original too", 0, 1, 0)));
        Chunk rewritten = new Chunk("a#0", "a", 2L, 0, "", "revised wording", Map.of("lang", "en"));
        store.upsert(List.of(new EmbeddedChunk(rewritten, MODEL, 3, new float[] {1, 0, 0})));
        store.delete(List.of("b#0"));

        assertThat(search(SearchMode.KEYWORD, "original", 5, MetadataFilter.NONE, false)).isEmpty();
        assertThat(search(SearchMode.KEYWORD, "revised", 5, MetadataFilter.NONE, false))
                .extracting(SearchHit::text).containsExactly("revised wording");
    }

    @Test
    void keywordSearchMatchesTheTitleAndHeadingsAboveAChunk() {
        Chunk chunk = new Chunk("n#0", "n", 1L, 0, "Normans", "They settled in the north.",
                Map.of("headings", List.of("Conquest of Sicily")));
        store.upsert(List.of(new EmbeddedChunk(chunk, MODEL, 3, new float[] {1, 0, 0}),
                textChunk("x", "They settled in the south.", 0, 1, 0)));

        assertThat(search(SearchMode.KEYWORD, "Norman Sicily", 5, MetadataFilter.NONE, false))
                .extracting(SearchHit::chunkId).containsExactly("n#0");
    }
}
