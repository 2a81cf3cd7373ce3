package io.faro.gateway.answer;

import io.faro.core.model.SearchHit;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The answer when no LLM is configured: the passages most relevant to the question, quoted, each
 * followed by its citation number, which points into the response's sources.
 */
public final class ExtractiveAnswerer {

    public static final int PASSAGES = 3;

    public String answer(List<SearchHit> hits) {
        if (hits.isEmpty()) {
            return "No indexed passage matches the question.";
        }
        return IntStream.range(0, Math.min(PASSAGES, hits.size()))
                .mapToObj(i -> "\"" + hits.get(i).text().strip() + "\" [" + (i + 1) + "]")
                .collect(Collectors.joining("\n\n"));
    }
}
