package io.faro.cli.faults;

import io.faro.cli.FaroCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code faro run COMPONENT...} in a JVM of its own, so that a test can kill it abruptly
 * ({@code SIGKILL}: no shutdown hook, no commit, no flush) at any moment and start it again.
 */
final class FaroProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private FaroProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static FaroProcess start(Map<String, String> env, Path log, String... components) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), FaroCommand.class.getName(), "run"));
        command.addAll(List.of(components));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            FaroProcess started = new FaroProcess(builder.start(), log);
            started.awaitRunning(Duration.ofSeconds(120));
            return started;
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command, e);
        }
    }

    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("faro run exited with " + process.exitValue() + "; its log:\n"
                        + Files.readString(log));
            }
            return Files.readString(log).contains("FARO is running") || System.nanoTime() > deadline;
        });
    }

    /** Kills the process the way a power cut would: nothing of it runs after this. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
