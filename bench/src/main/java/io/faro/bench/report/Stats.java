package io.faro.bench.report;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.IntStream;

/** Medians and percentiles of measured figures (nearest-rank on the sorted values). */
public final class Stats {

    private Stats() {
    }

    public static double median(Collection<? extends Number> values) {
        double[] sorted = sorted(values);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * The median of the runs' ratios, {@code numerators[i] / denominators[i]}. The two figures of a run were measured
     * side by side, so a machine whose speed drifts from run to run moves both; the ratio of the two medians would
     * set one run's figure against another's.
     */
    public static double medianRatio(List<? extends Number> numerators, List<? extends Number> denominators) {
        if (numerators.size() != denominators.size() || numerators.isEmpty()) {
            throw new IllegalArgumentException("a ratio per run needs as many figures on each side, at least one: "
                    + numerators.size() + " and " + denominators.size());
        }
        return median(IntStream.range(0, numerators.size())
                .mapToObj(i -> numerators.get(i).doubleValue() / denominators.get(i).doubleValue())
                .toList());
    }

    /** The {@code p}-th percentile (0 < p ≤ 100): the smallest value at least p % of the values do not exceed. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double[] sorted(Collection<? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /** Rounds for reports: figures are not more precise than this anyway. */
    public static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
