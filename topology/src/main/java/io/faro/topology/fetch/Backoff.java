package io.faro.topology.fetch;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between attempts of one fetch: {@code min}, doubling up to {@code max}, each
 * wait up to a fifth longer at random so that fetches throttled together do not come back together.
 */
public record Backoff(Duration min, Duration max) {

    /** Half a second, doubling to half a minute. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    public Backoff {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + min + " and " + max);
        }
    }

    /** The wait after the {@code failures}-th failure in a row (1 for the first). */
    public Duration after(int failures) {
        long base = min.toMillis() << Math.min(failures - 1, 20);
        long capped = Math.min(base, max.toMillis());
        return Duration.ofMillis(capped + (long) (capped * 0.2 * ThreadLocalRandom.current().nextDouble()));
    }
}
