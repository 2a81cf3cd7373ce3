package io.faro.stores.keyword;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeywordAnalyzerTest {

    private final KeywordAnalyzer english = KeywordAnalyzer.forLanguage("english");

    @Test
    void englishStemsLowerCasesAndDropsStopWords() {
        KeywordTerms terms = english.terms("The Normans conquered England; the Norman conquest of England.");

        assertThat(terms.frequencies()).containsEntry("norman", 2).containsEntry("england", 2)
                .doesNotContainKey("the").doesNotContainKey("of");
        assertThat(terms.length()).isEqualTo(terms.frequencies().values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void aQuestionMeetsItsPassageOnTheSameTerms() {
        assertThat(english.queryTerms("Who conquered England in 1066?"))
                .containsExactly("who", "conquer", "england", "1066");
        assertThat(english.terms("William conquers England in 1066").frequencies())
                .containsKeys("conquer", "england", "1066");
    }

    @Test
    void standardSplitsAndLowerCasesOnly() {
        assertThat(KeywordAnalyzer.forLanguage("standard").queryTerms("The Straße of Åland"))
                .containsExactly("the", "straße", "of", "åland");
    }

    @Test
    void anUnknownLanguageIsRefusedNamingTheOnesThereAre() {
        assertThatThrownBy(() -> KeywordAnalyzer.forLanguage("klingon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("klingon").hasMessageContaining("english").hasMessageContaining("standard");
    }

    @Test
    void bm25WeighsRepeatsLessThanLinearlyAndLongChunksLess() {
        assertThat(Bm25.weight(2, 100)).isGreaterThan(Bm25.weight(1, 100)).isLessThan(2 * Bm25.weight(1, 100));
        assertThat(Bm25.weight(1, 400)).isLessThan(Bm25.weight(1, 50));
        assertThat(Bm25.idf(1, 1000)).isGreaterThan(Bm25.idf(500, 1000));
        assertThat(Bm25.index("norman")).isEqualTo(Bm25.index("norman")).isNotEqualTo(Bm25.index("england"));
    }
}
