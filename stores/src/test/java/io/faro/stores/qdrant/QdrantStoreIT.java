package io.faro.stores.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.Fusion;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.SearchMode;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.StoreException;
import io.faro.core.store.StoreQuery;
import io.faro.core.store.VectorStore;
import io.faro.core.store.VectorStoreContract;
import io.faro.stores.keyword.Bm25;
import io.faro.stores.keyword.KeywordAnalyzer;
import io.faro.stores.keyword.KeywordTerms;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.PointStruct;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract against the in-JVM Qdrant stand-in, plus what is particular to Qdrant. */
class QdrantStoreIT extends VectorStoreContract {

    private static QdrantStandIn qdrant;

    @BeforeAll
    static void startQdrant() {
        qdrant = QdrantStandIn.start();
    }

    @AfterAll
    static void stopQdrant() {
        qdrant.close();
    }

    @Override
    protected VectorStore open(String name, String model, int dimension) {
        return QdrantStore.open(qdrant.url(), Optional.empty(), name, model, dimension, Duration.ofSeconds(5));
    }

    @Test
    void shouldReachCollectionThroughAliasWithDeterministicPointIds() {
        store.upsert(List.of(chunk("a", 0, Map.of("lang", "en"), 1, 0, 0)));

        String collection = qdrant.aliases().get(storeName);
        assertThat(collection).startsWith(storeName + "__contract_model__");
        String pointId = QdrantPayloads.pointId("a#0").toString();
        assertThat(qdrant.pointIds(storeName)).containsExactly(pointId);
        assertThat(qdrant.payload(storeName, pointId))
                .containsEntry("chunk_id", "a#0").containsEntry("doc_id", "a").containsEntry("model", MODEL)
                .containsEntry("doc_version", 1L)
                .containsEntry("title", "Title a").containsKey("text").containsKey("metadata");
    }

    @Test
    void shouldNameAHostedModelExactlyWhileItsCollectionIsStillEmpty() {
        // a collection's name spells its model only up to punctuation: openai_text_embedding_3_small
        try (VectorStore hosted = open(storeName + "_hosted", "openai:text-embedding-3-small", 4)) {
            assertThat(hosted.liveModel()).isEqualTo("openai:text-embedding-3-small");
        }
    }

    @Test
    void shouldSayWhichCallFailedWhenQdrantIsDown() {
        qdrant.failAll(true);
        try {
            assertThat(store.isReachable()).isFalse();
            assertThatThrownBy(() -> store.upsert(List.of(chunk("a", 0, Map.of(), 1, 0, 0))))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("qdrant: ").hasMessageContaining(" on " + storeName + " failed");
        } finally {
            qdrant.failAll(false);
        }
    }

    @Test
    void shouldKeepTenantAndAclInThePayloadWithKeywordIndexes() throws Exception {
        store.upsert(List.of(tenantChunk("acme", "memo", 0, List.of("board"), 1, 1, 0, 0)));

        String pointId = QdrantPayloads.pointId(DocumentKey.of("acme", "memo") + "#0").toString();
        assertThat(qdrant.payload(storeName, pointId)).containsEntry("tenant", "acme")
                .containsEntry("acl", List.of("board")).containsEntry("doc_id", "acme\u001Fmemo");
        try (QdrantClient client = QdrantStore.connect(qdrant.url(), Optional.empty(), Duration.ofSeconds(5))) {
            var schema = client.getCollectionInfoAsync(qdrant.aliases().get(storeName)).get().getPayloadSchemaMap();
            assertThat(schema.get("tenant").getDataType()).isEqualTo(PayloadSchemaType.Keyword);
            assertThat(schema.get("acl").getDataType()).isEqualTo(PayloadSchemaType.Keyword);
        }
    }

    @Test
    void shouldShowPointsWrittenBeforeTenantsToTheDefaultTenantOnly() throws Exception {
        var old = QdrantPayloads.payload(chunk("old", 0, Map.of(), 1, 0, 0), 1L);
        old.remove(QdrantPayloads.TENANT);
        old.remove(QdrantPayloads.ACL);
        try (QdrantClient client = QdrantStore.connect(qdrant.url(), Optional.empty(), Duration.ofSeconds(5))) {
            client.upsertAsync(storeName, List.of(PointStruct.newBuilder()
                    .setId(io.qdrant.client.PointIdFactory.id(QdrantPayloads.pointId("old#0")))
                    .setVectors(io.qdrant.client.VectorsFactory.vectors(1, 0, 0)).putAllPayload(old).build())).get();
        }

        assertThat(store.search(new float[] {1, 0, 0}, 5,
                MetadataFilter.NONE.within(AccessScope.of("default", Set.of("any")))))
                .extracting(SearchHit::docId).containsExactly("old");
        assertThat(store.search(new float[] {1, 0, 0}, 5, MetadataFilter.NONE.within(AccessScope.of("acme", Set.of()))))
                .isEmpty();
    }

    // ---- keyword and hybrid search, Qdrant side ----

    private static StoreQuery query(SearchMode mode, String text, boolean explain) {
        return new StoreQuery(mode, mode.usesVector() ? new float[] {1, 0, 0} : null, text, 5, MetadataFilter.NONE,
                explain);
    }

    @Test
    void shouldWriteTheChunksKeywordWeightsAsASparseVectorInTheSamePoint() throws Exception {
        Chunk chunk = new Chunk("k#0", "k", 1L, 0, "Falcon", "The falcon project ships falcons.",
                Map.of("headings", List.of("Plans")));
        store.upsert(List.of(new EmbeddedChunk(chunk, MODEL, 3, new float[] {0, 3, 4})));

        String pointId = QdrantPayloads.pointId("k#0").toString();
        KeywordTerms terms = KeywordAnalyzer.forLanguage("english").terms(chunk.contextText());
        Map<Integer, Float> expected = new LinkedHashMap<>();
        terms.frequencies().forEach((term, tf) -> expected.put(Bm25.index(term), (float) Bm25.weight(tf, terms.length())));
        assertThat(terms.frequencies()).containsEntry("falcon", 3).containsKeys("plan", "project", "ship");
        assertThat(qdrant.sparseVector(storeName, pointId, QdrantKeywords.VECTOR))
                .containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(qdrant.vector(storeName, pointId)).containsExactly(0f, 0.6f, 0.8f);
        assertThat(qdrant.payload(storeName, pointId)).containsEntry("keyword_language", "english");
        try (QdrantClient client = QdrantStore.connect(qdrant.url(), Optional.empty(), Duration.ofSeconds(5))) {
            var sparse = client.getCollectionInfoAsync(storeName).get().getConfig().getParams()
                    .getSparseVectorsConfig().getMapMap();
            assertThat(sparse.get(QdrantKeywords.VECTOR).getModifier()).isEqualTo(Modifier.Idf);
        }
    }

    @Test
    void shouldSearchEachModeInOneCallAndExplainAHybridSearchInOneBatch() {
        store.upsert(List.of(textChunk("a", "falcon plans", 1, 0, 0), textChunk("b", "other words", 0, 1, 0)));

        for (SearchMode mode : SearchMode.values()) {
            for (boolean explain : List.of(false, true)) {
                int before = qdrant.calls();
                assertThat(store.search(query(mode, "falcon", explain))).as(mode + " " + explain).isNotEmpty();
                assertThat(qdrant.calls() - before).as(mode.wireName() + " explain " + explain).isEqualTo(1);
            }
        }
        SearchHit keyword = store.search(query(SearchMode.KEYWORD, "falcon", true)).getFirst();
        assertThat(keyword.ranks().keywordRank()).isEqualTo(1);
        assertThat(keyword.ranks().keywordScore()).isEqualTo(keyword.score());
        assertThat(keyword.ranks().denseRank()).isNull();
        SearchHit dense = store.search(query(SearchMode.DENSE, "", true)).getFirst();
        assertThat(dense.ranks().denseRank()).isEqualTo(1);
        assertThat(dense.ranks().denseScore()).isEqualTo(dense.score());
        assertThat(dense.ranks().keywordRank()).isNull();
    }

    @Test
    void shouldFuseOnlyTheFirstCandidatesOfEachSide() {
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            chunks.add(textChunk("d" + i, i == 54 ? "zebra crossing" : "filler prose " + i, 1, i * 0.01f, 0));
        }
        store.upsert(chunks);

        List<SearchHit> hits = store.search(new StoreQuery(SearchMode.HYBRID, new float[] {1, 0, 0}, "zebra", 2,
                MetadataFilter.NONE, true));

        // 55th nearest, past the 50 dense candidates: only its keyword rank counts
        SearchHit zebra = hits.stream().filter(hit -> hit.docId().equals("d54")).findFirst().orElseThrow();
        assertThat(zebra.ranks().denseRank()).isNull();
        assertThat(zebra.ranks().keywordRank()).isEqualTo(1);
        assertThat(zebra.score()).isCloseTo(Fusion.rrf(1, Fusion.KEYWORD_WEIGHT), within(1e-6));
    }

    /** A collection as FARO made it before keyword search: the unnamed dense vector only, behind the alias. */
    private String openCollectionMadeBeforeKeywords(QdrantClient client) throws Exception {
        String alias = storeName + "_old";
        String collection = alias + "__contract_model__1";
        client.createCollectionAsync(collection, VectorParams.newBuilder().setSize(3).setDistance(Distance.Cosine)
                .build()).get();
        client.createAliasAsync(alias, collection).get();
        return alias;
    }

    @Test
    void shouldKeepACollectionMadeBeforeKeywordsAnsweringDenseAndRefuseKeywordSearchSayingToRebuild()
            throws Exception {
        try (QdrantClient client = QdrantStore.connect(qdrant.url(), Optional.empty(), Duration.ofSeconds(5));
             VectorStore old = open(openCollectionMadeBeforeKeywords(client), MODEL, 3)) {
            old.upsert(List.of(textChunk("a", "falcon plans", 1, 0, 0)));

            assertThat(old.search(new float[] {1, 0, 0}, 5)).extracting(SearchHit::docId).containsExactly("a");
            for (SearchMode mode : List.of(SearchMode.KEYWORD, SearchMode.HYBRID)) {
                assertThatThrownBy(() -> old.search(query(mode, "falcon", false))).as(mode.wireName())
                        .isInstanceOf(StoreException.class).hasMessageContaining("faro rebuild qdrant")
                        .hasMessageContaining("dense");
            }
        }
    }

    @Test
    void shouldRefuseKeywordSearchOnChunksAnalysedForAnotherLanguageButStillAnswerDense() {
        store.upsert(List.of(textChunk("a", "falcon plans", 1, 0, 0)));

        try (VectorStore german = QdrantStore.open(qdrant.url(), Optional.empty(), storeName, MODEL, 3,
                Duration.ofSeconds(5), "german")) {
            assertThat(german.search(new float[] {1, 0, 0}, 5)).hasSize(1);
            for (SearchMode mode : List.of(SearchMode.KEYWORD, SearchMode.HYBRID)) {
                assertThatThrownBy(() -> german.search(query(mode, "falcon", false))).as(mode.wireName())
                        .isInstanceOf(StoreException.class).hasMessageContaining("'english'")
                        .hasMessageContaining("'german'").hasMessageContaining("faro rebuild qdrant");
            }
        }
    }

    @Test
    void shouldMakeRebuildCopiesWithTheKeywordVector() {
        store.upsert(List.of(textChunk("a", "falcon plans", 1, 0, 0)));
        try (QdrantCopies copies = QdrantCopies.open(qdrant.url(), Optional.empty(), storeName, Duration.ofSeconds(5),
                "english")) {
            StoreCopies.Copy copy = copies.createCopy(MODEL, 3);
            copy.store().upsert(List.of(textChunk("b", "falcon budget", 0, 1, 0)));

            assertThat(copy.store().search(query(SearchMode.KEYWORD, "budget", false))).extracting(SearchHit::docId)
                    .containsExactly("b");
            copy.store().close();
        }
    }
}
