package io.faro.bench.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the first retrieved chunk that contains a gold answer sits, question by question: answer-hit@k
 * is the share of questions with such a chunk in the top k, MRR@k the mean of 1/rank (0 when not in
 * the top k). A chunk contains an answer when its text does, ignoring case.
 */
final class AnswerRanks {

    private final List<Integer> ranks = new ArrayList<>();

    /** Records one question; returns the rank of its first answering chunk (1-based), or 0 when none. */
    int add(List<String> retrievedTexts, List<String> answers) {
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

    int questions() {
        return ranks.size();
    }

    double hitAt(int k) {
        return ranks.isEmpty() ? 0
                : ranks.stream().filter(rank -> rank > 0 && rank <= k).count() / (double) ranks.size();
    }

    double mrrAt(int k) {
        return ranks.isEmpty() ? 0 : ranks.stream().filter(rank -> rank > 0 && rank <= k)
                .mapToDouble(rank -> 1.0 / rank).sum() / ranks.size();
    }
}
