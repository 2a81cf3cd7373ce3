package io.faro.gateway.answer;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.model.SearchHit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExtractiveAnswererTest {

    private final ExtractiveAnswerer answerer = new ExtractiveAnswerer();

    private static List<SearchHit> hits(double... scores) {
        return IntStream.range(0, scores.length)
                .mapToObj(i -> new SearchHit("d" + i, "d" + i + "#0", 0, "T", " passage " + (i + 1) + " ", Map.of(),
                        scores[i], "m"))
                .toList();
    }

    @Test
    void shouldQuotePassagesCloseToTheBestWithTheirCitation() {
        String answer = answerer.answer("q", hits(0.8, 0.6, 0.2)).text();

        assertThat(answer).isEqualTo("\"passage 1\" [1]\n\n\"passage 2\" [2]");
    }

    @Test
    void shouldQuoteAtMostThreePassages() {
        String answer = answerer.answer("q", hits(0.9, 0.89, 0.88, 0.87)).text();

        assertThat(answer).contains("[1]", "[2]", "[3]").doesNotContain("[4]");
    }

    @Test
    void shouldAlwaysQuoteTheBestPassageEvenWhenScoresAreLow() {
        String answer = answerer.answer("q", hits(-0.05, -0.06)).text();

        assertThat(answer).isEqualTo("\"passage 1\" [1]");
        assertThat(Arrays.asList(answer.split("\n\n"))).hasSize(1);
    }

    @Test
    void shouldSaySoWhenNothingMatches() {
        assertThat(answerer.answer("q", List.of()).text()).isEqualTo("No indexed passage matches the question.");
    }

    @Test
    void shouldCiteWhereInItsDocumentEachPassageLies() {
        List<SearchHit> located = List.of(
                new SearchHit("manual.pdf", "manual.pdf#3", 3, "Manual", "Open port 9092.",
                        Map.of("page", 4, "headings", List.of("Setup", "Networking")), 0.9, "m"),
                new SearchHit("notes.txt", "notes.txt#0", 0, "Notes", "Ports are numbers.", Map.of(), 0.85, "m"));

        List<Answerer.Citation> citations = answerer.answer("q", located).citations();

        assertThat(citations).extracting(Answerer.Citation::location).containsExactly("page 4, Setup › Networking", null);
    }
}
