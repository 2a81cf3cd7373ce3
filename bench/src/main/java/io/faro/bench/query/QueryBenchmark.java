package io.faro.bench.query;

import static io.faro.bench.report.Progress.progress;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.Runs;
import io.faro.bench.data.Corpus;
import io.faro.bench.data.Squad;
import io.faro.bench.report.Report;
import io.faro.bench.report.Stats;
import io.faro.bench.report.Target;
import io.faro.bench.stack.RunningFaro;
import io.faro.bench.stack.Stack;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.metrics.MetricNames;
import io.faro.core.embed.Embedder;
import io.faro.embedders.onnx.OnnxEmbedder;
import io.faro.core.model.Document;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.SearchMode;
import io.faro.core.store.StoreQuery;
import io.faro.core.store.VectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code faro bench query}: the gateway's {@code /v1/search} under a fixed number of concurrent callers,
 * against a caller that embeds the question with the same model and queries the same store directly;
 * the gateway's added latency is the difference at each percentile.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Search latency: the gateway's /v1/search against a direct store query with the same embedding.")
public final class QueryBenchmark implements Callable<Integer> {

    static final double TARGET_ADDED_P50_MS = 2.0;
    static final double TARGET_HYBRID_ADDED_P50_MS = 3.0;
    /** Gateway requests per second ÷ the direct path's, with at least two callers per core. */
    static final double TARGET_SATURATED_THROUGHPUT = 0.9;
    private static final List<String> PERCENTILES = List.of("p50", "p95", "p99");
    /** Kafka Streams' commits, every stream thread's, as Micrometer's binder exports them. */
    private static final String STREAM_COMMITS = "kafka_stream_thread_commit_total";

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Mixin
    Runs repeat;

    @Option(names = "--documents", defaultValue = "1000",
            description = "Documents in the index: the file's paragraphs, repeated (default: ${DEFAULT-VALUE}).")
    int documents;

    @Option(names = "--concurrency", defaultValue = "4",
            description = "Concurrent callers (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--requests", defaultValue = "2000",
            description = "Requests per path and run (default: ${DEFAULT-VALUE}).")
    int requests;

    // A method a request calls once is compiled by C2 only after several thousand requests (HotSpot's tier-4
    // thresholds). With 200 and then 2000 the gateway was still being compiled in the first run: on a 2-core machine
    // its requests per second against the direct path's rose run by run (0.826, 0.900, 0.913 after 200; 0.852,
    // 0.925, 0.936 after 2000), and the JIT's compiler threads took 0.6 ms of CPU per gateway request in a first run
    // of 8000, 0.35 after 3000 more untimed ones. After 8000 the first run gave 0.930.
    @Option(names = "--warmup", defaultValue = "8000",
            description = "Untimed requests per path first, so that the JIT has compiled each path before it is"
                    + " timed (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--top-k", defaultValue = "5", description = "top_k of every search (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--ingest-documents", defaultValue = "150",
            description = "Each run ends with the gateway and the direct path again while the pipeline ingests this many"
                    + " new documents, one set per path (0: not measured; default: ${DEFAULT-VALUE}).")
    int ingestDocuments;

    /** Requests per caller in each block of the load under ingest, which runs block after block until it is done. */
    private static final int INGEST_BLOCK = 10;
    /** Requests per caller in each path's turn of a run. */
    private static final int TURN = 25;
    private static final int MAX_INGEST_BLOCKS = 1000;

    /**
     * The ways a question is answered, each called with a request number: the gateway, the direct path and the
     * store alone search densely; the hybrid ones search the same store by dense and keyword search fused.
     */
    private record Paths(IntConsumer gateway, IntConsumer direct, IntConsumer storeOnly, IntConsumer hybridGateway,
                         IntConsumer hybridStoreOnly) {
    }

    /**
     * Where each request's time went, step by step: the gateway's own timing ({@code timings_ms}, seen from
     * inside), or the direct path's, so that the two compare step for step.
     */
    private record StepTimings(double[] total, double[] embed, double[] search) {

        StepTimings(int requests) {
            this(new double[requests], new double[requests], new double[requests]);
        }

        void record(int request, JsonNode timings, String store) {
            total[request] = timings.path("total").asDouble();
            embed[request] = timings.path("embed").asDouble();
            search[request] = timings.path(store).asDouble();
        }

        void record(int request, long startNanos, long embeddedNanos, long endNanos) {
            total[request] = (endNanos - startNanos) / 1e6;
            embed[request] = (embeddedNanos - startNanos) / 1e6;
            search[request] = (endNanos - embeddedNanos) / 1e6;
        }
    }

    @Override
    public Integer call() throws Exception {
        Report report = new Report("query", bench.repositoryRoot());
        int runs = repeat.count();
        Squad squad = Squad.read(options.data(bench));
        List<String> questions = squad.questions().stream().map(Squad.Question::text).toList();
        // The stand-in is a test double: its latency says nothing about Qdrant's, so only a real Qdrant is used.
        boolean withQdrant = FaroConfig.from(Env.of(bench.env())).qdrant().isPresent();
        try (Stack stack = Stack.start(bench.env(), withQdrant)) {
            FaroConfig config = stack.faroConfig(stack.newName(), withQdrant, Map.of());
            try (RunningFaro faro = RunningFaro.start(config)) {
                List<Document> corpus = Corpus.paragraphs(squad, documents, "query");
                long chunks = RunningFaro.chunkCount(config, corpus);
                progress("indexing %d documents (%d chunks)", documents, chunks);
                faro.publish(corpus);
                faro.awaitChunks(chunks, Duration.ofSeconds(Math.max(300, chunks)));

                VectorStore store = faro.store(withQdrant ? "qdrant" : "pgvector").orElseThrow();
                StepTimings server = new StepTimings(requests);
                StepTimings direct = new StepTimings(requests);
                Paths paths = paths(faro, store, OnnxEmbedder.create(config.embedding().localModel()), questions, server,
                        direct);
                warmUp(paths);
                describe(report, stack, config, store, chunks, questions.size(), runs);
                Map<String, List<Double>> perRun = new LinkedHashMap<>();
                for (int run = 1; run <= runs; run++) {
                    Map<String, Object> figures = measure(run, faro, paths, server, direct, perRun);
                    if (ingestDocuments > 0) {
                        figures.putAll(underIngest(run, squad, faro, paths, perRun));
                    }
                    report.run(figures);
                }
                summarize(report, stack, store, chunks, runs, perRun);
                stack.versions().forEach(report::version);
                report.finish(options.results(bench), System.out);
                return 0;
            }
        }
    }

    private Paths paths(RunningFaro faro, VectorStore store, Embedder embedder, List<String> questions,
                        StepTimings server, StepTimings direct) {
        List<float[]> vectors = questions.stream().map(embedder::embedQuery).toList();
        SearchClient client = new SearchClient(faro.gatewayUrl());
        String dense = SearchMode.DENSE.wireName();
        String hybrid = SearchMode.HYBRID.wireName();
        return new Paths(
                i -> server.record(i, client.search(question(questions, i), topK, dense).path("timings_ms"),
                        store.name()),
                i -> {
                    long start = System.nanoTime();
                    float[] vector = embedder.embedQuery(question(questions, i));
                    long embedded = System.nanoTime();
                    store.search(vector, topK);
                    direct.record(i, start, embedded, System.nanoTime());
                },
                i -> store.search(vectors.get(i % vectors.size()), topK),
                i -> client.search(question(questions, i), topK, hybrid),
                i -> store.search(new StoreQuery(SearchMode.HYBRID, vectors.get(i % vectors.size()),
                        question(questions, i), topK, MetadataFilter.NONE, false)));
    }

    private void warmUp(Paths paths) {
        for (IntConsumer path : List.of(paths.gateway(), paths.direct(), paths.storeOnly(), paths.hybridGateway(),
                paths.hybridStoreOnly())) {
            LoadRunner.run(concurrency, warmup, i -> path.accept(i % requests));
        }
    }

    private void describe(Report report, Stack stack, FaroConfig config, VectorStore store, long chunks,
                          int questions, int runs) {
        report.parameter("data", options.data(bench).toString())
                .parameter("documents", documents)
                .parameter("chunks", chunks)
                .parameter("questions", questions)
                .parameter("runs", runs)
                .parameter("concurrency", concurrency)
                .parameter("requests", requests)
                .parameter("warmup", warmup)
                .parameter("top_k", topK)
                .parameter("model", config.embedding().model())
                .parameter("store", store.name())
                .parameter("qdrant", stack.qdrantDescription());
    }

    /** One run: each path in turn, all at the same concurrency. */
    private Map<String, Object> measure(int run, RunningFaro faro, Paths paths, StepTimings server,
                                        StepTimings directSteps, Map<String, List<Double>> perRun) {
        // nothing is ingested during the load: what the stream applications commit meanwhile is their idle cost
        double commitsBefore = faro.metric(STREAM_COMMITS);
        long commitsStart = System.nanoTime();
        // The paths take turns, a block of requests each, so that a machine whose load changes (one shared with
        // other work) weighs on each path alike: paths run one after the other compared different moments.
        List<LoadRunner.Load> gatewayBlocks = new ArrayList<>();
        List<LoadRunner.Load> directBlocks = new ArrayList<>();
        List<LoadRunner.Load> storeBlocks = new ArrayList<>();
        List<LoadRunner.Load> hybridGatewayBlocks = new ArrayList<>();
        List<LoadRunner.Load> hybridStoreBlocks = new ArrayList<>();
        int block = Math.max(concurrency, Math.min(requests, concurrency * TURN));
        for (int first = 0; first < requests; first += block) {
            int offset = first;
            int count = Math.min(block, requests - first);
            gatewayBlocks.add(LoadRunner.run(concurrency, count, i -> paths.gateway().accept(offset + i)));
            directBlocks.add(LoadRunner.run(concurrency, count, i -> paths.direct().accept(offset + i)));
            storeBlocks.add(LoadRunner.run(concurrency, count, i -> paths.storeOnly().accept(offset + i)));
            hybridGatewayBlocks.add(LoadRunner.run(concurrency, count, i -> paths.hybridGateway().accept(offset + i)));
            hybridStoreBlocks.add(LoadRunner.run(concurrency, count, i -> paths.hybridStoreOnly().accept(offset + i)));
        }
        double idleCommitsPerSecond = (faro.metric(STREAM_COMMITS) - commitsBefore)
                / ((System.nanoTime() - commitsStart) / 1e9);
        LoadRunner.Load gateway = LoadRunner.Load.of(gatewayBlocks);
        LoadRunner.Load direct = LoadRunner.Load.of(directBlocks);
        LoadRunner.Load storeOnly = LoadRunner.Load.of(storeBlocks);
        LoadRunner.Load hybridGateway = LoadRunner.Load.of(hybridGatewayBlocks);
        LoadRunner.Load hybridStoreOnly = LoadRunner.Load.of(hybridStoreBlocks);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("run", run);
        figures.put("idle_stream_commits_per_second", idleCommitsPerSecond);
        figures.put("gateway", latency(gateway.latenciesMs(), gateway.throughput()));
        figures.put("gateway_server_total", latency(server.total(), gateway.throughput()));
        figures.put("gateway_server_embed", latency(server.embed(), gateway.throughput()));
        figures.put("gateway_server_search", latency(server.search(), gateway.throughput()));
        figures.put("direct_embed_and_search", latency(direct.latenciesMs(), direct.throughput()));
        figures.put("direct_embed", latency(directSteps.embed(), direct.throughput()));
        figures.put("direct_search", latency(directSteps.search(), direct.throughput()));
        figures.put("direct_search_only", latency(storeOnly.latenciesMs(), storeOnly.throughput()));
        figures.put("gateway_hybrid", latency(hybridGateway.latenciesMs(), hybridGateway.throughput()));
        figures.put("hybrid_search_only", latency(hybridStoreOnly.latenciesMs(), hybridStoreOnly.throughput()));
        for (String p : PERCENTILES) {
            double added = percentile(gateway.latenciesMs(), p) - percentile(direct.latenciesMs(), p);
            figures.put("added_" + p + "_ms", added);
            add(perRun, "added_" + p + "_ms", added);
            add(perRun, "gateway_" + p + "_ms", percentile(gateway.latenciesMs(), p));
            add(perRun, "direct_" + p + "_ms", percentile(direct.latenciesMs(), p));
            add(perRun, "search_only_" + p + "_ms", percentile(storeOnly.latenciesMs(), p));
            add(perRun, "gateway_hybrid_" + p + "_ms", percentile(hybridGateway.latenciesMs(), p));
            add(perRun, "hybrid_search_only_" + p + "_ms", percentile(hybridStoreOnly.latenciesMs(), p));
            double hybridAdded = percentile(hybridGateway.latenciesMs(), p) - percentile(gateway.latenciesMs(), p);
            figures.put("hybrid_added_" + p + "_ms", hybridAdded);
            add(perRun, "hybrid_added_" + p + "_ms", hybridAdded);
        }
        add(perRun, "gateway_server_p50_ms", Stats.percentile(server.total(), 50));
        add(perRun, "gateway_server_embed_p50_ms", Stats.percentile(server.embed(), 50));
        add(perRun, "gateway_server_search_p50_ms", Stats.percentile(server.search(), 50));
        add(perRun, "direct_embed_p50_ms", Stats.percentile(directSteps.embed(), 50));
        add(perRun, "direct_search_step_p50_ms", Stats.percentile(directSteps.search(), 50));
        add(perRun, "gateway_requests_per_second", gateway.throughput());
        add(perRun, "idle_stream_commits_per_second", idleCommitsPerSecond);
        add(perRun, "direct_requests_per_second", direct.throughput());
        add(perRun, "gateway_jvm_cpu_ms_per_request", gateway.processCpuMsPerRequest());
        add(perRun, "gateway_callers_cpu_ms_per_request", gateway.callerCpuMsPerRequest());
        add(perRun, "direct_jvm_cpu_ms_per_request", direct.processCpuMsPerRequest());
        progress("run %d: gateway p50 %.2f ms, direct p50 %.2f ms, added p50 %.2f ms", run,
                percentile(gateway.latenciesMs(), "p50"), percentile(direct.latenciesMs(), "p50"),
                figures.get("added_p50_ms"));
        return figures;
    }

    /**
     * The gateway and the direct path again, each while the pipeline embeds a fresh set of documents: the
     * gateway's questions share the model's threads with the ingest, the direct path's embedder has its own.
     */
    private Map<String, Object> underIngest(int run, Squad squad, RunningFaro faro, Paths paths,
                                            Map<String, List<Double>> perRun) {
        LoadRunner.Load gateway = whileIngesting(faro, Corpus.paragraphs(squad, ingestDocuments,
                "ingest-" + run + "-gateway"), paths.gateway());
        LoadRunner.Load direct = whileIngesting(faro, Corpus.paragraphs(squad, ingestDocuments,
                "ingest-" + run + "-direct"), paths.direct());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("gateway_under_ingest", latency(gateway.latenciesMs(), gateway.throughput()));
        figures.put("direct_under_ingest", latency(direct.latenciesMs(), direct.throughput()));
        for (String p : PERCENTILES) {
            add(perRun, "ingest_gateway_" + p + "_ms", percentile(gateway.latenciesMs(), p));
            add(perRun, "ingest_direct_" + p + "_ms", percentile(direct.latenciesMs(), p));
            add(perRun, "ingest_added_" + p + "_ms",
                    percentile(gateway.latenciesMs(), p) - percentile(direct.latenciesMs(), p));
        }
        progress("run %d under ingest: gateway p50 %.2f ms, direct p50 %.2f ms (%d and %d requests)", run,
                percentile(gateway.latenciesMs(), "p50"), percentile(direct.latenciesMs(), "p50"),
                gateway.latenciesMs().length, direct.latenciesMs().length);
        return figures;
    }

    /** Publishes the documents, then runs the load block after block until the pipeline has embedded them all. */
    private LoadRunner.Load whileIngesting(RunningFaro faro, List<Document> documents, IntConsumer request) {
        String embedded = MetricNames.EMBEDDINGS + "_total";
        double target = faro.metric(embedded) + RunningFaro.chunkCount(faro.config(), documents);
        faro.publish(documents);
        List<LoadRunner.Load> blocks = new ArrayList<>();
        do {
            blocks.add(LoadRunner.run(concurrency, Math.min(requests, concurrency * INGEST_BLOCK), request));
        } while (faro.metric(embedded) < target && blocks.size() < MAX_INGEST_BLOCKS);
        return LoadRunner.Load.of(blocks);
    }

    private void summarize(Report report, Stack stack, VectorStore store, long chunks, int runs,
                           Map<String, List<Double>> perRun) {
        perRun.forEach((name, values) -> report.median(name, Stats.median(values)));
        double throughput = Stats.medianRatio(perRun.get("gateway_requests_per_second"),
                perRun.get("direct_requests_per_second"));
        if (concurrency == 1) {
            report.target(Target.atMost("gateway added latency at p50, one caller (ms)",
                            Stats.median(perRun.get("added_p50_ms")), TARGET_ADDED_P50_MS))
                    .target(Target.atMost("hybrid over dense search through the gateway at p50, one caller (ms)",
                            Stats.median(perRun.get("hybrid_added_p50_ms")), TARGET_HYBRID_ADDED_P50_MS));
        }
        if (concurrency >= 2 * Runtime.getRuntime().availableProcessors()) {
            report.target(Target.atLeast("gateway / direct requests per second at saturation (" + concurrency
                    + " callers)", throughput, TARGET_SATURATED_THROUGHPUT));
        }
        report.note("hybrid = the same questions with mode hybrid (dense and keyword search fused in the store);"
                        + " its paths take turns with the dense ones")
                .note("direct = embed the question with the same model in-process, then search the " + store.name()
                        + " store through FARO's VectorStore; both at the same concurrency, in the same JVM as FARO")
                .note(stack.qdrantUrl().isPresent() ? "Qdrant: " + stack.qdrantDescription()
                        : "pgvector alone (FARO_QDRANT_URL unset): the Qdrant stand-in's latency would say nothing"
                                + " about Qdrant's")
                .line("%d chunks in %s; %d callers, %d requests per path, top_k %d; median of %d runs (ms):",
                        chunks, store.name(), concurrency, requests, topK, runs)
                .line("  %-34s %8s %8s %8s", "", "p50", "p95", "p99");
        List<String> paths = new ArrayList<>(List.of("gateway", "direct", "search_only", "added", "gateway_hybrid",
                "hybrid_search_only", "hybrid_added"));
        if (ingestDocuments > 0) {
            paths.addAll(List.of("ingest_gateway", "ingest_direct", "ingest_added"));
        }
        for (String path : paths) {
            report.line("  %-34s %8.2f %8.2f %8.2f", label(path), Stats.median(perRun.get(path + "_p50_ms")),
                    Stats.median(perRun.get(path + "_p95_ms")), Stats.median(perRun.get(path + "_p99_ms")));
        }
        report.line("  inside the gateway, p50: request %.2f ms, of which embedding %.2f ms and %s %.2f ms",
                Stats.median(perRun.get("gateway_server_p50_ms")),
                Stats.median(perRun.get("gateway_server_embed_p50_ms")), store.name(),
                Stats.median(perRun.get("gateway_server_search_p50_ms")));
        report.line("  direct path, p50: embedding %.2f ms and %s %.2f ms",
                Stats.median(perRun.get("direct_embed_p50_ms")), store.name(),
                Stats.median(perRun.get("direct_search_step_p50_ms")));
        report.line("  requests per second: gateway %.1f, direct %.1f (gateway / direct %.3f)",
                Stats.median(perRun.get("gateway_requests_per_second")),
                Stats.median(perRun.get("direct_requests_per_second")), throughput);
        // the callers share the machine with FARO: on the gateway's path they are the load generator (HTTP and
        // JSON), on the direct path they do the path's own work (they call the embedder and the store)
        report.line("  this JVM's CPU a request: gateway %.2f ms, of which its callers (the HTTP load generator)"
                        + " %.2f ms; direct %.2f ms", Stats.median(perRun.get("gateway_jvm_cpu_ms_per_request")),
                Stats.median(perRun.get("gateway_callers_cpu_ms_per_request")),
                Stats.median(perRun.get("direct_jvm_cpu_ms_per_request")));
        report.line("  stream applications, idle meanwhile, committed %.1f transactions per second",
                Stats.median(perRun.get("idle_stream_commits_per_second")));
    }

    private static void add(Map<String, List<Double>> perRun, String name, double value) {
        perRun.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    private static String label(String path) {
        return switch (path) {
            case "gateway" -> "gateway /v1/search (HTTP)";
            case "direct" -> "direct: embed + store search";
            case "search_only" -> "store search alone";
            case "gateway_hybrid" -> "gateway /v1/search, hybrid";
            case "hybrid_search_only" -> "store hybrid search alone";
            case "hybrid_added" -> "hybrid over dense, gateway";
            case "ingest_gateway" -> "gateway, while ingesting";
            case "ingest_direct" -> "direct, while ingesting";
            case "ingest_added" -> "added by the gateway, while ingesting";
            default -> "added by the gateway";
        };
    }

    private static String question(List<String> questions, int i) {
        return questions.get(i % questions.size());
    }

    private static double percentile(double[] latencies, String p) {
        return Stats.percentile(latencies, Double.parseDouble(p.substring(1)));
    }

    private static Map<String, Object> latency(double[] latencies, double requestsPerSecond) {
        Map<String, Object> figures = new LinkedHashMap<>();
        for (String p : PERCENTILES) {
            figures.put(p + "_ms", percentile(latencies, p));
        }
        figures.put("mean_ms", Arrays.stream(latencies).average().orElse(0));
        figures.put("requests_per_second", requestsPerSecond);
        return figures;
    }
}
