package io.faro.bench.report;

/**
 * One of ARCHITECTURE.md's performance or quality targets and how this run fared: {@code measured}
 * must be at least {@code threshold} (or at most, when {@code atMost}).
 */
public record Target(String name, double measured, double threshold, boolean atMost, boolean met) {

    public static Target atLeast(String name, double measured, double threshold) {
        return new Target(name, measured, threshold, false, measured >= threshold);
    }

    public static Target atMost(String name, double measured, double threshold) {
        return new Target(name, measured, threshold, true, measured <= threshold);
    }

    String describe() {
        return String.format(java.util.Locale.ROOT, "%-46s %10.3f %s %-8.3f %s", name, measured,
                atMost ? "<=" : ">=", threshold, met ? "met" : "MISSED");
    }
}
