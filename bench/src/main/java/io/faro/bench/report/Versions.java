package io.faro.bench.report;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** The versions of FARO and of what it runs on, as built (from the POM) and as found at run time. */
public final class Versions {

    private Versions() {
    }

    /** FARO and its dependencies, the ONNX runtime, and the git commit of the checkout when there is one. */
    public static Map<String, String> current(Path repositoryRoot) {
        Map<String, String> versions = new LinkedHashMap<>(built());
        versions.put("onnxruntime", OrtEnvironment.getEnvironment().getVersion());
        git(repositoryRoot, "rev-parse", "--short", "HEAD").ifPresent(commit -> versions.put("git_commit",
                commit + (git(repositoryRoot, "status", "--porcelain", "--untracked-files=no")
                        .filter(status -> !status.isBlank()).isPresent() ? " (uncommitted changes)" : "")));
        return versions;
    }

    /** FARO's and its dependencies' versions, as the build wrote them. */
    public static Map<String, String> built() {
        Map<String, String> versions = new LinkedHashMap<>();
        Properties built = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/faro-bench-versions.properties")) {
            if (in != null) {
                built.load(in);
            }
        } catch (IOException e) {
            versions.put("error", "versions file unreadable: " + e.getMessage());
        }
        new TreeMap<>(built).forEach((key, value) -> versions.put(key.toString(), value.toString()));
        return versions;
    }

    private static Optional<String> git(Path dir, String... args) {
        try {
            String[] command = new String[args.length + 3];
            command[0] = "git";
            command[1] = "-C";
            command[2] = dir.toString();
            System.arraycopy(args, 0, command, 3, args.length);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
