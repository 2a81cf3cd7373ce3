package io.faro.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faro.core.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark measured: the machine and versions, its parameters, the raw figures of every
 * run, the medians and the targets. {@link #finish} writes it as JSON under the results directory and
 * prints a one-screen summary.
 */
public final class Report {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final String benchmark;
    private final Instant started = Instant.now();
    private final Machine machine = Machine.current();
    private final Map<String, String> versions;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final List<Map<String, Object>> runs = new ArrayList<>();
    private final Map<String, Object> medians = new LinkedHashMap<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();

    public Report(String benchmark, Path repositoryRoot) {
        this.benchmark = benchmark;
        this.versions = new LinkedHashMap<>(Versions.current(repositoryRoot));
    }

    /** The JSON document: one file per benchmark run. */
    public record Result(String benchmark, String startedAt, double durationS, Machine machine,
                         double loadAverageOneMinuteAtEnd,
                         Map<String, String> versions, Map<String, Object> parameters, List<Map<String, Object>> runs,
                         Map<String, Object> medians, List<Target> targets, Map<String, Object> details,
                         List<String> notes) {
    }

    public Report parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    public Report version(String name, String value) {
        versions.put(name, value);
        return this;
    }

    /** One run's figures, with the load average when it ended (other work on a shared machine shows there). */
    public Report run(Map<String, Object> figures) {
        Map<String, Object> run = new LinkedHashMap<>(figures);
        run.put("load_average_one_minute_at_end", Machine.loadAverage());
        runs.add(run);
        return this;
    }

    public Report median(String name, Object value) {
        medians.put(name, value);
        return this;
    }

    /** Supporting figures that are not per run, e.g. a parameter sweep. */
    public Report detail(String name, Object value) {
        details.put(name, value);
        return this;
    }

    public Report target(Target target) {
        targets.add(target);
        return this;
    }

    /** Something a reader needs to judge the figures (what stood in, what was left out). */
    public Report note(String note) {
        notes.add(note);
        return this;
    }

    /** A line of the terminal summary. */
    public Report line(String format, Object... args) {
        summary.add(String.format(java.util.Locale.ROOT, format, args));
        return this;
    }

    public Result result() {
        double duration = started.until(Instant.now(), ChronoUnit.MILLIS) / 1000.0;
        return new Result(benchmark, started.truncatedTo(ChronoUnit.SECONDS).toString(), Stats.round(duration, 1),
                machine, Machine.loadAverage(), versions, parameters, runs, medians, targets, details, notes);
    }

    /** Writes {@code <benchmark>-<UTC time>.json} into the directory and prints the summary; returns the file. */
    public Path finish(Path resultsDir, PrintStream out) {
        Result result = result();
        Path file = resultsDir.resolve(benchmark + "-" + FILE_TIME.format(started) + ".json");
        ObjectMapper mapper = Json.mapper();
        try {
            Files.createDirectories(resultsDir);
            Path tmp = resultsDir.resolve(file.getFileName() + ".tmp");
            Files.writeString(tmp, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the result to " + resultsDir, e);
        }
        printSummary(result, file, out);
        return file;
    }

    private void printSummary(Result result, Path file, PrintStream out) {
        out.println();
        out.printf(java.util.Locale.ROOT, "faro bench %s: %d cores, %.1f GiB, %s, JDK %s; load average %.2f at start,"
                        + " %.2f at end; %.0f s%n", benchmark, machine.cores(),
                machine.memoryBytes() / (double) (1L << 30),
                machine.os().replaceAll(" \\(.*", ""), machine.jdkVersion(), machine.loadAverageOneMinute(),
                result.loadAverageOneMinuteAtEnd(), result.durationS());
        summary.forEach(out::println);
        if (!targets.isEmpty()) {
            out.println("targets:");
            targets.forEach(target -> out.println("  " + target.describe()));
        }
        notes.forEach(note -> out.println("note: " + note));
        out.println("result: " + file);
    }
}
