package io.faro.bench;

import io.faro.core.FaroException;
import picocli.CommandLine.Option;

/** How many times a benchmark measures; it reports the median. */
public final class Runs {

    @Option(names = "--runs", defaultValue = "3",
            description = "Runs to take the median of (default: ${DEFAULT-VALUE}).")
    int runs;

    public int count() {
        if (runs < 1) {
            throw new FaroException("--runs must be at least 1, was " + runs);
        }
        return runs;
    }
}
