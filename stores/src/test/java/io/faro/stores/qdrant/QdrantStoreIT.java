package io.faro.stores.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.model.SearchHit;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import io.faro.core.store.VectorStoreContract;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Points.PointStruct;
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
}
