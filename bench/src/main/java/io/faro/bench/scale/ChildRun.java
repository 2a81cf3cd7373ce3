package io.faro.bench.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code faro} command run in a child JVM with a heap limit, as an operator runs it: its wall time, exit
 * code, whether it ran out of memory, and the heap it needed ({@link HeapWatch}).
 */
record ChildRun(String command, int exitCode, double seconds, long maxHeapAfterGcBytes, long peakHeapBytes,
                long heapLimitBytes, boolean outOfMemory, String tail) {

    static ChildRun run(Map<String, String> env, String heap, Path work, String... faroArgs) {
        try {
            Path figures = Files.createTempFile(work, "heap-", ".txt");
            Path log = Files.createTempFile(work, "child-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError",
                    "-D" + HeapWatch.OUT + "=" + figures,
                    "-cp", System.getProperty("java.class.path"),
                    HeapWatch.class.getName(), "io.faro.cli.FaroCommand"));
            command.addAll(List.of(faroArgs));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            long start = System.nanoTime();
            int exit = builder.start().waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            String output = Files.readString(log);
            String[] heapFigures = Files.readString(figures).trim().split(" ");
            boolean oom = output.contains("OutOfMemoryError");
            long afterGc = heapFigures.length == 3 ? Long.parseLong(heapFigures[0]) : -1;
            long peak = heapFigures.length == 3 ? Long.parseLong(heapFigures[1]) : -1;
            long limit = heapFigures.length == 3 ? Long.parseLong(heapFigures[2]) : -1;
            String tail = output.lines().skip(Math.max(0, output.lines().count() - 5)).reduce("", (a, b) -> a + b + "\n");
            return new ChildRun(String.join(" ", faroArgs), exit, seconds, afterGc, peak, limit, oom, tail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running faro " + String.join(" ", faroArgs), e);
        }
    }

    Map<String, Object> figures() {
        return Map.of("exit_code", exitCode, "seconds", seconds, "max_heap_after_gc_mb", maxHeapAfterGcBytes / 1e6,
                "peak_heap_mb", peakHeapBytes / 1e6, "heap_limit_mb", heapLimitBytes / 1e6, "out_of_memory", outOfMemory);
    }
}
