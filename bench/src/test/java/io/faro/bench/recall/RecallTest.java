package io.faro.bench.recall;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.bench.store.ExactSearch;
import io.faro.core.model.SearchHit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecallTest {

    @Test
    void shouldCountTheShareOfExactHitsTheApproximateAnswerFound() {
        List<ExactSearch.Hit> exact = List.of(exact("a", 0.9), exact("b", 0.8), exact("c", 0.7), exact("d", 0.6));

        double recall = Recall.at(List.of(hit("a", 0.9), hit("c", 0.7), hit("x", 0.5), hit("b", 0.8)), exact);

        assertThat(recall).isEqualTo(0.75);
    }

    @Test
    void shouldCountAChunkAsNearAsTheKthExactHitAsFound() {
        // two chunks with the same vector: exact search returned one, the index the other
        List<ExactSearch.Hit> exact = List.of(exact("a", 0.9), exact("twin-1", 0.7));

        double recall = Recall.at(List.of(hit("a", 0.9), hit("twin-2", 0.7)), exact);

        assertThat(recall).isEqualTo(1.0);
    }

    @Test
    void shouldNotCountHitsBeyondK() {
        List<ExactSearch.Hit> exact = List.of(exact("a", 0.9), exact("b", 0.8));

        double recall = Recall.at(List.of(hit("x", 0.5), hit("y", 0.4), hit("a", 0.9)), exact);

        assertThat(recall).isZero();
    }

    private static ExactSearch.Hit exact(String id, double score) {
        return new ExactSearch.Hit(id, "text of " + id, score);
    }

    private static SearchHit hit(String id, double score) {
        return new SearchHit("doc", id, 0, "title", "text of " + id, Map.of(), score, "m");
    }
}
