package io.faro.gateway.answer;

import io.faro.core.model.SearchHit;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The answer when no LLM is configured: the passages most relevant to the question, quoted, each
 * followed by its citation number, which points into the response's sources. The best passage is
 * always quoted; the next ones only while they stay close to it, so a weak match does not pad the
 * answer (it is still listed among the sources).
 */
public final class ExtractiveAnswerer implements Answerer {

    public static final int MAX_PASSAGES = 3;
    /** A passage is quoted when its score is at least this share of the best score. */
    public static final double RELATIVE_CUTOFF = 0.6;

    @Override
    public Answer answer(String question, List<SearchHit> hits) {
        if (hits.isEmpty()) {
            return Answer.extractive("No indexed passage matches the question.", List.of());
        }
        double best = hits.getFirst().score();
        List<Integer> quoted = IntStream.range(0, Math.min(MAX_PASSAGES, hits.size()))
                .filter(i -> i == 0 || (best > 0 && hits.get(i).score() >= RELATIVE_CUTOFF * best))
                .boxed()
                .toList();
        String text = quoted.stream()
                .map(i -> "\"" + hits.get(i).text().strip() + "\" [" + (i + 1) + "]")
                .collect(Collectors.joining("\n\n"));
        return Answer.extractive(text, quoted.stream().map(i -> Citation.of(i + 1, hits.get(i))).toList());
    }
}
