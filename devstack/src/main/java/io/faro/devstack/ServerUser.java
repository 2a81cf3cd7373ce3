package io.faro.devstack;

import io.faro.core.FaroException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user the private cluster runs as: this process's own, or, when this process is root (PostgreSQL
 * refuses to run as root), the {@code postgres} system user, reached through {@code runuser}.
 */
final class ServerUser {

    static final String POSTGRES = "postgres";

    private final boolean postgres;

    private ServerUser(boolean postgres) {
        this.postgres = postgres;
    }

    static ServerUser forThisProcess() {
        return new ServerUser("root".equals(System.getProperty("user.name")));
    }

    /** Whether the cluster runs as {@code postgres}, not as this process's user. */
    boolean isPostgres() {
        return postgres;
    }

    /** Runs a command as this user and returns its output; fails with that output when the command fails. */
    String run(List<String> command) {
        Result result = exec(as(command));
        if (result.exitCode != 0) {
            throw new FaroException(String.join(" ", command) + " failed (exit " + result.exitCode + "): "
                    + result.output.strip());
        }
        return result.output;
    }

    boolean succeeds(List<String> command) {
        return exec(as(command)).exitCode == 0;
    }

    /** Whether this user may enter {@code dir}: every directory above it is searchable by them. */
    boolean canEnter(Path dir) {
        return succeeds(List.of("test", "-x", dir.toString()));
    }

    /** Gives a file or directory that this process made to this user. */
    void own(Path path) {
        if (postgres) {
            Result result = exec(List.of("chown", POSTGRES + ":" + POSTGRES, path.toString()));
            if (result.exitCode != 0) {
                throw new FaroException("cannot give " + path + " to the postgres user: " + result.output.strip());
            }
        }
    }

    /** The {@code postgres} user's home directory, as the system's user database has it. */
    static Path postgresHome() {
        Result entry = exec(List.of("getent", "passwd", POSTGRES));
        String[] fields = entry.output.strip().split(":");
        if (entry.exitCode != 0 || fields.length < 6 || fields[5].isBlank()) {
            throw new FaroException("there is no postgres user on this machine to run PostgreSQL as (PostgreSQL refuses"
                    + " to run as root). Install the PostgreSQL server package, which creates it, or run FARO as"
                    + " another user.");
        }
        return Path.of(fields[5]);
    }

    private List<String> as(List<String> command) {
        if (!postgres) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", POSTGRES, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new FaroException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaroException("interrupted while running " + command.getFirst(), e);
        }
    }
}
