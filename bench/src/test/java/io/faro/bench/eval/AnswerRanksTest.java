package io.faro.bench.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerRanksTest {

    @Test
    void shouldRankTheFirstChunkThatContainsAnAnswerIgnoringCase() {
        AnswerRanks ranks = new AnswerRanks();

        int rank = ranks.add(List.of("Bees dance.", "Tides follow the MOON.", "The moon again."), List.of("the moon"));

        assertThat(rank).isEqualTo(2);
    }

    @Test
    void shouldComputeHitsAtKAndReciprocalRank() {
        AnswerRanks ranks = new AnswerRanks();
        ranks.add(List.of("answer here"), List.of("answer"));                       // rank 1
        ranks.add(List.of("no", "no", "an answer"), List.of("answer"));             // rank 3
        ranks.add(List.of("no", "no", "no", "no", "no", "answer"), List.of("answer")); // rank 6
        ranks.add(List.of("nothing", "at all"), List.of("answer", "other"));        // none

        assertThat(ranks.questions()).isEqualTo(4);
        assertThat(ranks.hitAt(1)).isEqualTo(0.25);
        assertThat(ranks.hitAt(5)).isEqualTo(0.5);
        assertThat(ranks.hitAt(10)).isEqualTo(0.75);
        assertThat(ranks.mrrAt(10)).isCloseTo((1 + 1 / 3.0 + 1 / 6.0) / 4, within(1e-12));
        assertThat(ranks.mrrAt(5)).isCloseTo((1 + 1 / 3.0) / 4, within(1e-12));
    }
}
