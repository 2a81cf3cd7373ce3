package io.faro.core.store.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.StoreException;
import io.faro.core.testing.TestPostgres;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PgVectorStoreIT {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private String table;
    private PgVectorStore store;

    @BeforeEach
    void open() {
        table = "it_chunks_" + TABLES.incrementAndGet() + "_" + System.nanoTime() % 100_000;
        store = PgVectorStore.open(TestPostgres.url(), table, "m", 3);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static EmbeddedChunk chunk(String id, String doc, float... vector) {
        return new EmbeddedChunk(new Chunk(id, doc, 0, "Title " + doc, "text of " + id,
                Map.of("lang", "en", "n", 1)), "m", 3, vector);
    }

    @Test
    void shouldRankNearestVectorsFirstWithCosineScores() {
        store.upsert(List.of(chunk("a#0", "a", 1, 0, 0), chunk("b#0", "b", 0, 1, 0), chunk("c#0", "c", 1, 1, 0)));

        List<SearchHit> hits = store.search(new float[] {1, 0.1f, 0}, 2);

        assertThat(hits).extracting(SearchHit::chunkId).containsExactly("a#0", "c#0");
        assertThat(hits.getFirst().score()).isBetween(0.99, 1.0);
        assertThat(hits.getFirst().title()).isEqualTo("Title a");
        assertThat(hits.getFirst().metadata()).containsEntry("lang", "en").containsEntry("n", 1);
    }

    @Test
    void shouldUpsertIdempotentlyByChunkId() {
        store.upsert(List.of(chunk("a#0", "a", 1, 0, 0)));
        store.upsert(List.of(chunk("a#0", "a", 0, 0, 1), chunk("a#0", "a", 0, 1, 0)));

        assertThat(store.count()).isEqualTo(1);
        assertThat(store.search(new float[] {0, 1, 0}, 1).getFirst().score()).isBetween(0.99, 1.0);
    }

    @Test
    void shouldDeleteByChunkId() {
        store.upsert(List.of(chunk("a#0", "a", 1, 0, 0), chunk("b#0", "b", 0, 1, 0)));

        store.delete(List.of("a#0", "missing#0"));

        assertThat(store.count()).isEqualTo(1);
        assertThat(store.search(new float[] {1, 0, 0}, 5)).extracting(SearchHit::chunkId).containsExactly("b#0");
    }

    @Test
    void shouldKeepTextWithQuotesAndUnicodeIntact() {
        String text = "It's \"quoted\", {braced}, naïve — 日本語";
        store.upsert(List.of(new EmbeddedChunk(new Chunk("u#0", "u", 0, "T", text, Map.of("q", "a'b\"c")), "m", 3,
                new float[] {1, 2, 3})));

        SearchHit hit = store.search(new float[] {1, 2, 3}, 1).getFirst();

        assertThat(hit.text()).isEqualTo(text);
        assertThat(hit.metadata()).containsEntry("q", "a'b\"c");
    }

    @Test
    void shouldRefuseTableBuiltForAnotherModelOrDimension() {
        assertThatThrownBy(() -> PgVectorStore.open(TestPostgres.url(), table, "other-model", 3))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("holds vectors of model m")
                .hasMessageContaining("FARO_PG_TABLE");
        assertThatThrownBy(() -> PgVectorStore.open(TestPostgres.url(), table, "m", 5))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("dimension 3");
    }

    @Test
    void shouldReopenExistingTableWithSameModel() {
        store.upsert(List.of(chunk("a#0", "a", 1, 0, 0)));

        try (PgVectorStore again = PgVectorStore.open(TestPostgres.url(), table, "m", 3)) {
            assertThat(again.count()).isEqualTo(1);
            assertThat(again.isReachable()).isTrue();
        }
    }
}
