package io.faro.bench;

import io.faro.bench.answer.AnswerBenchmark;
import io.faro.bench.auth.AuthBenchmark;
import io.faro.bench.ceiling.CeilingBenchmark;
import io.faro.bench.chunking.ChunkingBenchmark;
import io.faro.bench.documents.DocumentsBenchmark;
import io.faro.bench.eval.EvalBenchmark;
import io.faro.bench.hosted.HostedIngestBenchmark;
import io.faro.bench.ingest.IngestBenchmark;
import io.faro.bench.query.QueryBenchmark;
import io.faro.bench.rebuild.RebuildBenchmark;
import io.faro.bench.recall.FilteredRecallBenchmark;
import io.faro.bench.recall.RecallBenchmark;
import io.faro.bench.scale.ScaleBenchmark;
import io.faro.bench.report.Versions;
import io.faro.core.FaroException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code faro bench NAME}: runs one benchmark on this machine, writes its JSON result under
 * {@code bench/results/} and prints a summary.
 */
@Command(name = "faro bench", mixinStandardHelpOptions = true, versionProvider = BenchCommand.Version.class,
        description = "Measure FARO on this machine; each benchmark writes a JSON result and prints a summary.",
        subcommands = {IngestBenchmark.class, QueryBenchmark.class, RecallBenchmark.class, FilteredRecallBenchmark.class,
                EvalBenchmark.class, RebuildBenchmark.class, HostedIngestBenchmark.class, AnswerBenchmark.class,
                DocumentsBenchmark.class, AuthBenchmark.class, ScaleBenchmark.class, ChunkingBenchmark.class,
                CeilingBenchmark.class})
public final class BenchCommand {

    /** {@code faro bench --version}: FARO's version, as built. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"FARO " + Versions.built().getOrDefault("faro", "(unknown version)")};
        }
    }

    private final Map<String, String> env;
    private final Path repositoryRoot;

    public BenchCommand() {
        this(System.getenv(), Path.of(System.getProperty("faro.root", ".")));
    }

    /** With the given FARO_* environment and checkout (tests pass their own). */
    public BenchCommand(Map<String, String> env, Path repositoryRoot) {
        this.env = Map.copyOf(env);
        this.repositoryRoot = repositoryRoot.toAbsolutePath().normalize();
    }

    public Map<String, String> env() {
        return env;
    }

    public Path repositoryRoot() {
        return repositoryRoot;
    }

    /** Where results go unless {@code --results} says otherwise. */
    public Path defaultResults() {
        return repositoryRoot.resolve("bench").resolve("results");
    }

    /** The SQuAD sample next to the checkout, unless {@code --data} says otherwise. */
    public Path defaultData() {
        return repositoryRoot.resolve("../shared/eval/squad-v2-dev-sample.json").normalize();
    }

    public static CommandLine commandLine(BenchCommand command) {
        return new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof FaroException) {
                        cmd.getErr().println("faro bench: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                });
    }

    public static void main(String[] args) {
        // quieter than the CLI's logging: set before the first logger exists
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-bench.xml");
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(commandLine(new BenchCommand()).execute(args));
    }
}
