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

/**
 * {@code faro run COMPONENT...} in a JVM of its own, started from the distribution the image ships
 * ({@code cli/target/faro/lib}: no dev stack, no Kafka broker on the classpath), configured only by
 * environment variables, so that a test can stop it as Kubernetes does ({@code SIGTERM}) or kill it
 * abruptly ({@code SIGKILL}: no shutdown hook, no commit, no flush) at any moment and start it again.
 */
public final class FaroProcess implements AutoCloseable {

    /** What the process prints once its components run. */
    public static final String RUNNING = "FARO is running";
    private static final Path DISTRIBUTION = Path.of("target", "faro", "lib");

    private final Process process;
    private final Path log;
    private final List<String> components;

    private FaroProcess(Process process, Path log, List<String> components) {
        this.process = process;
        this.log = log;
        this.components = components;
    }

    /** Starts the components and waits until they run. */
    public static FaroProcess start(Map<String, String> env, Path log, String... components) {
        FaroProcess started = launch(env, log, components);
        started.awaitRunning(Duration.ofSeconds(120));
        return started;
    }

    /** Starts the components without waiting for them. */
    public static FaroProcess launch(Map<String, String> env, Path log, String... components) {
        if (!Files.isDirectory(DISTRIBUTION)) {
            throw new AssertionError("no distribution at " + DISTRIBUTION.toAbsolutePath() + ": run mvn package first");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-Xmx768m", "-cp", DISTRIBUTION.toAbsolutePath() + "/*", FaroCommand.class.getName(),
                "run"));
        command.addAll(List.of(components));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            return new FaroProcess(builder.start(), log, List.of(components));
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command, e);
        }
    }

    private void awaitRunning(Duration timeout) {
        org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("faro run exited with " + process.exitValue() + "; its log:\n" + log());
            }
            return log().contains(RUNNING);
        });
    }

    @Override
    public String toString() {
        return "faro run " + components + " (log " + log + ")";
    }

    /** Everything the process printed so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end on its own; its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("faro run still running after " + timeout.toSeconds() + " s; its log:\n"
                        + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
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
