package io.faro.bench.recall;

import io.faro.bench.store.ExactSearch;
import io.faro.core.model.SearchHit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * recall@k of an approximate answer against the exact one. A hit counts when exact search has it, or
 * when it is as near as the exact k-th hit (a tie: equally near chunks are interchangeable, and which of
 * them an index returns is arbitrary).
 */
public final class Recall {

    public static final double TIE = 1e-6;

    private Recall() {
    }

    public static double at(List<SearchHit> approximate, List<ExactSearch.Hit> exact) {
        return of(approximate.stream().map(hit -> new ExactSearch.Hit(hit.chunkId(), hit.text(), hit.score())).toList(),
                exact);
    }

    /** The same for an approximate answer given as hits of the exact search's kind. */
    public static double of(List<ExactSearch.Hit> approximate, List<ExactSearch.Hit> exact) {
        if (exact.isEmpty()) {
            return 1.0;
        }
        Set<String> truth = exact.stream().map(ExactSearch.Hit::chunkId).collect(Collectors.toSet());
        double kth = exact.getLast().score();
        long found = approximate.stream().limit(exact.size())
                .filter(hit -> truth.contains(hit.chunkId()) || hit.score() >= kth - TIE)
                .count();
        return (double) found / exact.size();
    }
}
