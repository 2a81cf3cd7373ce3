package io.faro.bench.auth;

import static io.faro.bench.report.Progress.progress;

import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.Runs;
import io.faro.bench.data.Corpus;
import io.faro.bench.data.Squad;
import io.faro.bench.query.LoadRunner;
import io.faro.bench.query.SearchClient;
import io.faro.bench.report.Report;
import io.faro.bench.report.Stats;
import io.faro.bench.report.Target;
import io.faro.bench.stack.RunningFaro;
import io.faro.bench.stack.Stack;
import io.faro.core.config.AuthSettings;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.embed.Embedders;
import io.faro.core.model.Document;
import io.faro.core.store.VectorStore;
import io.faro.embedders.onnx.OnnxEmbedder;
import io.faro.gateway.GatewayServer;
import io.faro.gateway.answer.ExtractiveAnswerer;
import io.faro.gateway.auth.ApiKey;
import io.faro.gateway.auth.ApiKeyFile;
import io.faro.gateway.auth.Role;
import io.faro.gateway.health.Health;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code faro bench auth}: what authentication adds to a search. Two gateways run side by side in one JVM over the
 * same embedder and the same pgvector table, one with authentication off and one taking API keys (with the
 * per-caller rate and concurrency limits counting, set too high to refuse anything); the same questions go to each
 * in alternating blocks, so that drift of the machine reaches both alike. The figure is the difference of the p50s.
 */
@Command(name = "auth", mixinStandardHelpOptions = true,
        description = "Search latency with API keys on against off, two gateways side by side.")
public final class AuthBenchmark implements Callable<Integer> {

    static final double TARGET_ADDED_P50_MS = 0.5;
    private static final int BLOCKS = 10;

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Mixin
    Runs repeat;

    @Option(names = "--documents", defaultValue = "500",
            description = "Documents in the index: the file's paragraphs, repeated (default: ${DEFAULT-VALUE}).")
    int documents;

    @Option(names = "--concurrency", defaultValue = "1",
            description = "Concurrent callers (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--requests", defaultValue = "1000",
            description = "Timed requests per gateway and run (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--warmup", defaultValue = "300",
            description = "Untimed requests per gateway first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--keys", defaultValue = "100",
            description = "API keys in the file, the caller's among them (default: ${DEFAULT-VALUE}).")
    int keys;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("auth", bench.repositoryRoot());
        int runs = repeat.count();
        Squad squad = Squad.read(options.data(bench));
        List<String> questions = squad.questions().stream().map(Squad.Question::text).toList();
        try (Stack stack = Stack.start(bench.env(), false)) {
            FaroConfig config = stack.faroConfig(stack.newName(), false, Map.of());
            try (RunningFaro faro = RunningFaro.start(config)) {
                List<Document> corpus = Corpus.paragraphs(squad, documents, "auth");
                long chunks = RunningFaro.chunkCount(config, corpus);
                progress("indexing %d documents (%d chunks)", documents, chunks);
                faro.publish(corpus);
                faro.awaitChunks(chunks, Duration.ofSeconds(Math.max(300, chunks)));
                VectorStore store = faro.store("pgvector").orElseThrow();
                Embedder embedder = OnnxEmbedder.create(config.embedding().localModel());
                String key = ApiKey.mint();
                Path keyFile = keyFile(stack.tempDir("auth-keys"), key);
                PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                try (GatewayServer open = gateway(config.withAuth(AuthSettings.off()), embedder, store, meters);
                     GatewayServer keyed = gateway(config.withAuth(new AuthSettings(Set.of(AuthSettings.Method.API_KEYS),
                             true, Optional.of(keyFile), Optional.empty(),
                             new AuthSettings.CallerLimits(1_000_000, 1_000_000, 10_000))), embedder, store, meters)) {
                    SearchClient off = new SearchClient("http://localhost:" + open.port());
                    SearchClient on = new SearchClient("http://localhost:" + keyed.port(),
                            Map.of("Authorization", "Bearer " + key));
                    LoadRunner.run(concurrency, warmup, i -> off.search(question(questions, i), 5));
                    LoadRunner.run(concurrency, warmup, i -> on.search(question(questions, i), 5));
                    describe(report, config, chunks, runs);
                    Map<String, List<Double>> perRun = new LinkedHashMap<>();
                    for (int run = 1; run <= runs; run++) {
                        report.run(measure(run, off, on, questions, perRun));
                    }
                    summarize(report, chunks, runs, perRun);
                }
                stack.versions().forEach(report::version);
                report.finish(options.results(bench), System.out);
                return 0;
            }
        }
    }

    /** The caller's key among {@code --keys} others, as a file of that many lines (every lookup compares them all). */
    private Path keyFile(Path dir, String key) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i < keys; i++) {
            lines.add(ApiKeyFile.line("other-" + i, ApiKey.mint(), "default", Set.of(Role.QUERY), Set.of()));
        }
        lines.add(ApiKeyFile.line("bench", key, "default", Set.of(Role.QUERY), Set.of()));
        return Files.write(dir.resolve("keys.jsonl"), lines);
    }

    private static GatewayServer gateway(FaroConfig config, Embedder embedder, VectorStore store,
                                         PrometheusMeterRegistry meters) {
        return GatewayServer.start(config.withPorts(0, 0, 0), new GatewayServer.Dependencies(
                new Embedders(model -> embedder), embedder.model(), store, Optional.empty(), new ExtractiveAnswerer(),
                new Health(), meters));
    }

    private void describe(Report report, FaroConfig config, long chunks, int runs) {
        report.parameter("data", options.data(bench).toString())
                .parameter("documents", documents)
                .parameter("chunks", chunks)
                .parameter("runs", runs)
                .parameter("concurrency", concurrency)
                .parameter("requests", requests)
                .parameter("warmup", warmup)
                .parameter("keys", keys)
                .parameter("blocks_per_run", BLOCKS)
                .parameter("model", config.embedding().model())
                .parameter("store", "pgvector");
    }

    /** One run: the requests in {@link #BLOCKS} blocks per gateway, the two taking turns. */
    private Map<String, Object> measure(int run, SearchClient off, SearchClient on, List<String> questions,
                                        Map<String, List<Double>> perRun) {
        int perBlock = Math.max(1, requests / BLOCKS);
        List<Double> offMs = new ArrayList<>();
        List<Double> onMs = new ArrayList<>();
        for (int block = 0; block < BLOCKS; block++) {
            int offset = block * perBlock;
            boolean offFirst = block % 2 == 0;
            for (SearchClient client : offFirst ? List.of(off, on) : List.of(on, off)) {
                LoadRunner.Load load = LoadRunner.run(concurrency, perBlock,
                        i -> client.search(question(questions, offset + i), 5));
                for (double ms : load.latenciesMs()) {
                    (client == off ? offMs : onMs).add(ms);
                }
            }
        }
        double[] offArray = offMs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] onArray = onMs.stream().mapToDouble(Double::doubleValue).toArray();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("run", run);
        for (int p : new int[] {50, 95, 99}) {
            double offP = Stats.percentile(offArray, p);
            double onP = Stats.percentile(onArray, p);
            figures.put("off_p" + p + "_ms", offP);
            figures.put("api_keys_p" + p + "_ms", onP);
            figures.put("added_p" + p + "_ms", onP - offP);
            perRun.computeIfAbsent("off_p" + p + "_ms", k -> new ArrayList<>()).add(offP);
            perRun.computeIfAbsent("api_keys_p" + p + "_ms", k -> new ArrayList<>()).add(onP);
            perRun.computeIfAbsent("added_p" + p + "_ms", k -> new ArrayList<>()).add(onP - offP);
        }
        progress("run %d: p50 off %.3f ms, with API keys %.3f ms, added %.3f ms", run, figures.get("off_p50_ms"),
                figures.get("api_keys_p50_ms"), figures.get("added_p50_ms"));
        return figures;
    }

    private void summarize(Report report, long chunks, int runs, Map<String, List<Double>> perRun) {
        perRun.forEach((name, values) -> report.median(name, Stats.median(values)));
        report.target(Target.atMost("added p50 with API keys on (ms)", Stats.median(perRun.get("added_p50_ms")),
                        TARGET_ADDED_P50_MS))
                .note("two gateways in one JVM over the same embedder and pgvector table; one with FARO_AUTH=off, one"
                        + " with API keys (" + keys + " in the file) and the caller limits counting; alternating blocks")
                .line("%d chunks in pgvector; %d callers, %d requests per gateway and run; median of %d runs (ms):",
                        chunks, concurrency, requests, runs)
                .line("  %-28s %8s %8s %8s", "", "p50", "p95", "p99");
        for (String path : List.of("off", "api_keys", "added")) {
            report.line("  %-28s %8.3f %8.3f %8.3f", path.equals("off") ? "authentication off"
                            : path.equals("api_keys") ? "API key (Bearer)" : "added by authentication",
                    Stats.median(perRun.get(path + "_p50_ms")), Stats.median(perRun.get(path + "_p95_ms")),
                    Stats.median(perRun.get(path + "_p99_ms")));
        }
    }

    private static String question(List<String> questions, int i) {
        return questions.get(i % questions.size());
    }
}
