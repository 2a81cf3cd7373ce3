package io.faro.cli.faults;

import io.faro.cli.FaroCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * {@code faro run COMPONENT...} in a JVM of its own, so that a test can kill it abruptly
 * ({@code SIGKILL}: no shutdown hook, no commit, no flush) at any moment and start it again, start
 * several at once, or watch one fail to start. Its standard output and error go to one log file.
 */
public final class FaroProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final Process process;
    private final Path log;

    private FaroProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code faro run} and waits until it says it is running. */
    public static FaroProcess start(Map<String, String> env, Path log, String... components) {
        return launch(List.of(), env, log, components).awaitRunning(STARTUP);
    }

    /**
     * Starts {@code faro run} with these JVM options and environment, without waiting: to start several
     * processes at once, or one that must fail.
     */
    public static FaroProcess launch(List<String> jvmOptions, Map<String, String> env, Path log, String... components) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FaroCommand.class.getName(), "run"));
        command.addAll(List.of(components));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            return new FaroProcess(builder.start(), log);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command, e);
        }
    }

    /** Waits until the process says it is running; fails with its log if it exits first. */
    public FaroProcess awaitRunning(Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("faro run exited with " + process.exitValue() + "; its log:\n" + output());
            }
            return output().contains("FARO is running");
        });
        return this;
    }

    /** Waits until the process exits by itself, and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("faro run still runs after " + timeout.toSeconds() + " s; its log:\n"
                        + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for faro run to exit", e);
        }
    }

    /** What the process has written to its standard output and error so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process the way a power cut would: nothing of it runs after this. */
    public void kill() {
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
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
