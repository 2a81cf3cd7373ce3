package io.faro.deploy.terraform;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code terraform} binary on the PATH, run offline: providers come from a local mirror (a directory laid out
 * as {@code registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/}), never from the registry, and the user's
 * own CLI configuration and {@code TF_*} variables are kept out.
 */
final class Terraform {

    /** Where this project's build machines keep the mirror; {@code FARO_TF_PLUGIN_DIR} names another one. */
    static final Path DEFAULT_PLUGIN_DIR = Path.of("/opt/tf-plugins");
    static final String PLUGIN_DIR_VARIABLE = "FARO_TF_PLUGIN_DIR";

    static final String MISSING_BINARY = "terraform is not on the PATH: install Terraform 1.11 or later "
            + "(https://developer.hashicorp.com/terraform/install, or HashiCorp's apt repository) to run the "
            + "terraform/ checks (fmt, init, validate, terraform test with a mock AWS provider)";

    /** The longest one command may take; a whole `terraform test` of an environment takes seconds. */
    private static final long TIMEOUT_SECONDS = 180;

    /** What one terraform command printed (stdout and stderr together), and how it ended. */
    record Result(List<String> command, int exitCode, String output) {

        String describe() {
            return String.join(" ", command) + " exited with " + exitCode + ":\n" + output;
        }
    }

    private final Path binary;
    private final Path pluginDir;
    private final Path cliConfig;

    private Terraform(Path binary, Path pluginDir, Path cliConfig) {
        this.binary = binary;
        this.pluginDir = pluginDir;
        this.cliConfig = cliConfig;
    }

    static Optional<Path> findBinary() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "terraform"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The provider mirror, or why there is none. */
    sealed interface Mirror {
        record Found(Path dir) implements Mirror {
        }

        record Missing(String reason) implements Mirror {
        }
    }

    static Mirror findPluginDir() {
        String configured = System.getenv(PLUGIN_DIR_VARIABLE);
        Path dir = configured == null || configured.isBlank() ? DEFAULT_PLUGIN_DIR : Path.of(configured);
        Path aws = dir.resolve("registry.terraform.io").resolve("hashicorp").resolve("aws");
        if (Files.isDirectory(aws)) {
            return new Mirror.Found(dir.toAbsolutePath());
        }
        return new Mirror.Missing("no provider mirror holding hashicorp/aws at " + aws + " ("
                + (configured == null || configured.isBlank() ? "the default; set " + PLUGIN_DIR_VARIABLE
                        + " to name another directory" : "from " + PLUGIN_DIR_VARIABLE)
                + "): make one with `terraform providers mirror DIR` in terraform/envs/dev on a machine that "
                + "reaches registry.terraform.io, then set " + PLUGIN_DIR_VARIABLE + "=DIR");
    }

    /**
     * A terraform that reads no CLI configuration but an empty one of its own (written in {@code workDir}), asks
     * no questions and phones nowhere.
     */
    static Terraform offline(Path binary, Path pluginDir, Path workDir) {
        try {
            Path config = Files.writeString(workDir.resolve("terraformrc"),
                    "# FARO's terraform tests: no plugin cache, no credentials, providers from -plugin-dir only\n");
            return new Terraform(binary, pluginDir, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path pluginDir() {
        return pluginDir;
    }

    Result run(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("TF_")); // TF_VAR_*, TF_DATA_DIR, TF_WORKSPACE, ...
        env.put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        env.put("TF_IN_AUTOMATION", "1");
        env.put("TF_INPUT", "0");
        env.put("CHECKPOINT_DISABLE", "1"); // no version check against checkpoint-api.hashicorp.com
        try {
            Process process = builder.start();
            // terraform's output is small; reading it to the end before waiting cannot dead-lock on a full pipe
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + TIMEOUT_SECONDS + " s:\n" + output);
            }
            return new Result(command, process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /**
     * Copies {@code source} (the repository's terraform/ folder) into {@code target}, leaving out what terraform
     * itself writes ({@code .terraform/}, lock files, state), so that init starts clean and never writes into the
     * source tree.
     */
    static void copyConfiguration(Path source, Path target) {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = source.relativize(file);
                if (isTerraformOutput(relative)) {
                    continue;
                }
                Path copy = target.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes every symbolic link under {@code dir}, without following any. */
    static void deleteSymbolicLinks(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) { // walk does not follow links unless told to
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isSymbolicLink(file)) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isTerraformOutput(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals(".terraform") || name.equals(".terraform.lock.hcl") || name.endsWith(".tfstate")
                    || name.endsWith(".tfstate.backup") || name.equals("crash.log")) {
                return true;
            }
        }
        return false;
    }
}
