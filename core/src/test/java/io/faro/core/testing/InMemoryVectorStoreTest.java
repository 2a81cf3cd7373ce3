package io.faro.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.Fusion;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.SearchMode;
import io.faro.core.store.StoreQuery;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test double answers every search mode, so the gateway's tests run each mode end to end. */
class InMemoryVectorStoreTest {

    private final InMemoryVectorStore store = new InMemoryVectorStore("memory");

    private static EmbeddedChunk chunk(String docId, String text, String lang, float... vector) {
        Chunk chunk = new Chunk(Chunk.idOf(docId, 0), docId, 1L, 0, "", text, Map.of("lang", lang));
        return new EmbeddedChunk(chunk, "m", vector.length, vector);
    }

    private List<SearchHit> search(SearchMode mode, String text, int topK, boolean explain, float... vector) {
        return store.search(new StoreQuery(mode, mode.usesVector() ? vector : null, text, topK, MetadataFilter.NONE,
                explain));
    }

    /** BM25 with k1 1.2, b 0.75 and an average length of 100 words, as the stores compute it. */
    private static double bm25(int tf, int length, int holding, int total) {
        double idf = Math.log(1 + (total - holding + 0.5) / (holding + 0.5));
        return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / 100.0));
    }

    @Test
    void keywordSearchFindsSharedWordsWithoutAVectorAndScoresThemByBm25() {
        store.upsert(List.of(chunk("a", "Zephyr zephyr wind", "en", 1, 0), chunk("b", "wind over water", "en", 0, 1),
                chunk("c", "rain", "en", 1, 1)));

        List<SearchHit> hits = search(SearchMode.KEYWORD, "ZEPHYR, wind?", 5, false);

        assertThat(hits).extracting(SearchHit::docId).containsExactly("a", "b");
        assertThat(hits.get(0).score()).isCloseTo(bm25(2, 3, 1, 3) + bm25(1, 3, 2, 3), within(1e-9));
        assertThat(hits.get(1).score()).isCloseTo(bm25(1, 3, 2, 3), within(1e-9));
        assertThat(store.lastQuery().vector()).isNull();
    }

    @Test
    void hybridSearchFusesTheDenseAndKeywordRanksAndExplainsThem() {
        // dense order: near, both, words; keyword order: both, words
        store.upsert(List.of(chunk("near", "unrelated prose", "en", 1, 0),
                chunk("both", "falcon falcon plan", "en", 1, 0.3f),
                chunk("words", "falcon budget overview", "en", 0, 1)));

        List<SearchHit> hits = search(SearchMode.HYBRID, "falcon", 3, true, 1, 0);

        assertThat(hits).extracting(SearchHit::docId).containsExactly("both", "words", "near");
        assertThat(hits.get(0).score()).isCloseTo(Fusion.rrf(2, Fusion.DENSE_WEIGHT)
                + Fusion.rrf(1, Fusion.KEYWORD_WEIGHT), within(1e-12));
        SearchHit.Ranks both = hits.get(0).explanation().orElseThrow();
        assertThat(both.denseRank()).isEqualTo(2);
        assertThat(both.keywordRank()).isEqualTo(1);
        assertThat(both.keywordScore()).isPositive();
        SearchHit.Ranks near = hits.get(2).explanation().orElseThrow();
        assertThat(near.denseRank()).isEqualTo(1);
        assertThat(near.denseScore()).isCloseTo(1.0, within(1e-6));
        assertThat(near.keywordRank()).isNull();
        assertThat(near.keywordScore()).isNull();
        assertThat(search(SearchMode.HYBRID, "falcon", 3, false, 1, 0)).allMatch(hit -> hit.explanation().isEmpty());
    }

    @Test
    void everyModeKeepsToTheFilter() {
        store.upsert(List.of(chunk("en", "ledger", "en", 1, 0), chunk("de", "ledger", "de", 1, 0)));
        MetadataFilter english = new MetadataFilter(Map.of("lang", "en"));

        for (SearchMode mode : SearchMode.values()) {
            List<SearchHit> hits = store.search(new StoreQuery(mode, mode.usesVector() ? new float[] {1, 0} : null,
                    "ledger", 5, english, false));
            assertThat(hits).as(mode.wireName()).extracting(SearchHit::docId).containsExactly("en");
        }
    }

    @Test
    void aDenseSearchExplainsItsOwnRanksWhenAsked() {
        store.upsert(List.of(chunk("a", "x", "en", 1, 0), chunk("b", "y", "en", 0, 1)));

        List<SearchHit> hits = search(SearchMode.DENSE, "", 2, true, 1, 0);

        assertThat(hits.get(1).explanation().orElseThrow())
                .isEqualTo(new SearchHit.Ranks(2, hits.get(1).score(), null, null));
    }
}
