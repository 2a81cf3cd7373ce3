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
 * {@code faro run COMPONENT...} in a JVM of its own, started from the distribution the image ships
 * ({@code cli/target/faro/lib}: no dev stack, no Kafka broker on the classpath) and configured only by
 * environment variables, so that a test can stop it as Kubernetes does ({@code SIGTERM}), kill it
 * abruptly ({@code SIGKILL}: no shutdown hook, no commit, no flush) at any moment and start it again,
 * start several at once, or watch one fail to start. Its standard output and error go to one log file.
 */
public final class FaroProcess implements AutoCloseable {

    /** What the process prints once its components run. */
    public static final String RUNNING = "FARO is running";
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Path DISTRIBUTION = Path.of("target", "faro", "lib");

    private final Process process;
    private final Path log;
    private final List<String> arguments;

    private FaroProcess(Process process, Path log, List<String> arguments) {
        this.process = process;
        this.log = log;
        this.arguments = arguments;
    }

    /** Starts {@code faro run} and waits until it says it is running. */
    public static FaroProcess start(Map<String, String> env, Path log, String... components) {
        return launch(env, log, components).awaitRunning(STARTUP);
    }

    /** Starts {@code faro run} without waiting: to start several processes at once, or one that must fail. */
    public static FaroProcess launch(Map<String, String> env, Path log, String... components) {
        return launch(List.of(), env, log, components);
    }

    /** As {@link #launch(Map, Path, String...)}, with these JVM options. */
    public static FaroProcess launch(List<String> jvmOptions, Map<String, String> env, Path log, String... components) {
        List<String> arguments = new ArrayList<>(List.of("run"));
        arguments.addAll(List.of(components));
        return faro(jvmOptions, env, log, arguments);
    }

    /** Starts another command of {@code faro} ({@code restore}, say), with its arguments, without waiting. */
    public static FaroProcess command(Map<String, String> env, Path log, String... arguments) {
        return faro(List.of(), env, log, List.of(arguments));
    }

    private static FaroProcess faro(List<String> jvmOptions, Map<String, String> env, Path log, List<String> arguments) {
        if (!Files.isDirectory(DISTRIBUTION)) {
            throw new AssertionError("no distribution at " + DISTRIBUTION.toAbsolutePath() + ": run mvn package first");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx768m"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", DISTRIBUTION.toAbsolutePath() + "/*", FaroCommand.class.getName()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            return new FaroProcess(builder.start(), log, arguments);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command, e);
        }
    }

    /** Waits until the process says it is running; fails with its log if it exits first. */
    public FaroProcess awaitRunning(Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(this + " exited with " + process.exitValue() + "; its log:\n" + output());
            }
            return output().contains(RUNNING);
        });
        return this;
    }

    /** What the process has written to its standard output and error so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the process exits by itself, and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(this + " still runs after " + timeout.toSeconds() + " s; its log:\n"
                        + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for faro run to exit", e);
        }
    }

    /** Asks the process to stop, as Kubernetes does: {@code SIGTERM}. */
    public void terminate() {
        process.destroy();
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
    public String toString() {
        return "faro " + String.join(" ", arguments) + " (log " + log + ")";
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
