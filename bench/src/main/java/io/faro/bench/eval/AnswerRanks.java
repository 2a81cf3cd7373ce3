package io.faro.bench.eval;

import io.faro.bench.report.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the first retrieved chunk that contains a gold answer sits, question by question: answer-hit@k
 * is the share of questions with such a chunk in the top k, MRR@k the mean of 1/rank (0 when not in
 * the top k). A chunk contains an answer when its text does, ignoring case.
 */
public final class AnswerRanks {

    private final List<Integer> ranks = new ArrayList<>();

    /** Records one question; returns the rank of its first answering chunk (1-based), or 0 when none. */
    public int add(List<String> retrievedTexts, List<String> answers) {
        int rank = 0;
        for (int i = 0; i < retrievedTexts.size() && rank == 0; i++) {
            String text = retrievedTexts.get(i).toLowerCase(Locale.ROOT);
            if (answers.stream().anyMatch(answer -> text.contains(answer.toLowerCase(Locale.ROOT)))) {
                rank = i + 1;
            }
        }
        ranks.add(rank);
        return rank;
    }

    public int questions() {
        return ranks.size();
    }

    public double hitAt(int k) {
        return ranks.isEmpty() ? 0
                : ranks.stream().filter(rank -> rank > 0 && rank <= k).count() / (double) ranks.size();
    }

    public double mrrAt(int k) {
        return ranks.isEmpty() ? 0 : ranks.stream().filter(rank -> rank > 0 && rank <= k)
                .mapToDouble(rank -> 1.0 / rank).sum() / ranks.size();
    }

    /** hit@1, hit@5, hit@10 and MRR@10, rounded, for a report. */
    public Map<String, Object> figures() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("hit_at_1", Stats.round(hitAt(1), 4));
        figures.put("hit_at_5", Stats.round(hitAt(5), 4));
        figures.put("hit_at_10", Stats.round(hitAt(10), 4));
        figures.put("mrr_at_10", Stats.round(mrrAt(10), 4));
        return figures;
    }

    /** {@code hit@1 / hit@5 / MRR@10}, for a table row. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", hitAt(1), hitAt(5), mrrAt(10));
    }
}
