package io.faro.bench;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every benchmark takes: where the text comes from and where the result goes. */
public final class BenchOptions {

    @Option(names = "--data", paramLabel = "FILE", description = "SQuAD-format file with the text"
            + " (default: ../shared/eval/squad-v2-dev-sample.json next to this checkout).")
    Path data;

    @Option(names = "--results", paramLabel = "DIR",
            description = "Directory for the JSON result (default: bench/results).")
    Path results;

    public Path data(BenchCommand bench) {
        return Optional.ofNullable(data).orElse(bench.defaultData());
    }

    public Path results(BenchCommand bench) {
        return Optional.ofNullable(results).orElse(bench.defaultResults());
    }
}
