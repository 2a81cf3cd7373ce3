package io.faro.bench.hosted;

import static io.faro.bench.report.Progress.progress;

import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.Runs;
import io.faro.bench.data.Corpus;
import io.faro.bench.data.Squad;
import io.faro.bench.ingest.LangChainRun;
import io.faro.bench.ingest.PipelineRun;
import io.faro.bench.report.Report;
import io.faro.bench.report.Stats;
import io.faro.bench.report.Target;
import io.faro.bench.stack.Stack;
import io.faro.core.config.FaroConfig;
import io.faro.core.model.Document;
import io.faro.embedders.testing.EmbeddingsStandIn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code faro bench hosted}: ingest through a hosted embedding model, played by the OpenAI embeddings
 * stand-in at a fixed latency per request. Three systems, in chunks per second until every chunk is in
 * every store:
 * <ul>
 *   <li>FARO bound by latency: no rate limit, so the best the settings allow is requests in flight × batch
 *       ÷ latency;</li>
 *   <li>FARO bound by a rate limit the stand-in enforces (and FARO is told): the best is the limit's
 *       requests per second × batch;</li>
 *   <li>LangChain4j's {@code EmbeddingStoreIngestor} with its {@code OpenAiEmbeddingModel} against the same
 *       stand-in, the same batch and latency, into its pgvector store.</li>
 * </ul>
 */
@Command(name = "hosted", mixinStandardHelpOptions = true,
        description = "Ingest through a hosted embedding model (a stand-in at a fixed latency): FARO against the"
                + " best its limits allow, and against LangChain4j's EmbeddingStoreIngestor.")
public final class HostedIngestBenchmark implements Callable<Integer> {

    static final double TARGET_VS_BOUND = 0.9;
    static final double TARGET_VS_LANGCHAIN4J = 5.0;
    private static final String MODEL = "text-embedding-3-small";
    private static final String LATENCY_BOUND = "faro_latency_bound_chunks_per_second";
    private static final String RATE_BOUND = "faro_rate_bound_chunks_per_second";
    private static final String LANGCHAIN4J = "langchain4j_chunks_per_second";

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Mixin
    Runs repeat;

    @Option(names = "--documents", defaultValue = "4000",
            description = "Documents to ingest: the file's paragraphs, repeated with distinct ids (default: ${DEFAULT-VALUE}).")
    int documents;

    // The defaults put both bounds below the pipeline's own ceiling on one 2-core machine (about 410 chunks/s with
    // both sinks, the broker, PostgreSQL and the stand-in on it, measured with 200 ms, 8 x 32): above it, the run
    // measures that ceiling, not how FARO keeps a remote model busy.
    @Option(names = "--latency-ms", defaultValue = "500",
            description = "The stand-in's time per request (default: ${DEFAULT-VALUE}).")
    int latencyMs;

    @Option(names = "--in-flight", defaultValue = "8",
            description = "FARO_EMBED_REQUESTS_IN_FLIGHT (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--batch", defaultValue = "16",
            description = "Texts per request, FARO's FARO_EMBED_BATCH_SIZE and LangChain4j's maxSegmentsPerBatch"
                    + " (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--requests-per-minute", defaultValue = "600",
            description = "The limit of the rate-bound runs (default: ${DEFAULT-VALUE}).")
    int requestsPerMinute;

    @Option(names = "--dimension", defaultValue = "384",
            description = "Length of the stand-in's vectors (default: ${DEFAULT-VALUE}).")
    int dimension;

    @Option(names = "--warmup-runs", defaultValue = "2",
            description = "Whole untimed FARO runs before the timed ones (default: ${DEFAULT-VALUE}).")
    int warmupRuns;

    @Option(names = "--langchain4j-documents", defaultValue = "800",
            description = "Documents LangChain4j ingests (fewer: it is slower; default: ${DEFAULT-VALUE}).")
    int langchainDocuments;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("hosted", bench.repositoryRoot());
        int runs = repeat.count();
        Squad squad = Squad.read(options.data(bench));
        double latencyBound = inFlight * batch / (latencyMs / 1000.0);
        double rateBound = Math.min(latencyBound, requestsPerMinute / 60.0 * batch);
        try (Stack stack = Stack.start(bench.env(), true);
             EmbeddingsStandIn api = EmbeddingsStandIn.start(dimension).latency(Duration.ofMillis(latencyMs))) {
            FaroConfig base = stack.baseConfig();
            List<Document> corpus = Corpus.paragraphs(squad, documents, "hosted");
            List<Document> warmup = Corpus.paragraphs(squad, 200, "warmup");
            List<Document> langchainCorpus = corpus.subList(0, Math.min(langchainDocuments, corpus.size()));
            report.parameter("data", options.data(bench).toString())
                    .parameter("documents", documents)
                    .parameter("langchain4j_documents", langchainCorpus.size())
                    .parameter("runs", runs)
                    .parameter("latency_ms", latencyMs)
                    .parameter("requests_in_flight", inFlight)
                    .parameter("batch", batch)
                    .parameter("requests_per_minute", requestsPerMinute)
                    .parameter("dimension", dimension)
                    .parameter("chunk_size_tokens", base.chunkSizeTokens())
                    .parameter("latency_bound_chunks_per_second", latencyBound)
                    .parameter("rate_bound_chunks_per_second", rateBound)
                    .parameter("pipeline_stores", List.of("pgvector", "qdrant"))
                    .parameter("qdrant", stack.qdrantDescription());
            // untimed: whole runs of each kind first, while the JIT compiles the pipeline's paths (a first run in a
            // JVM was measured at a third of a third's rate), and the peer loads its driver
            for (int i = 1; i <= warmupRuns; i++) {
                progress("warm-up run %d of %d (not timed)", i, warmupRuns);
                PipelineRun.run(faroConfig(stack, api, false), warmup.subList(0, 20), corpus);
            }
            LangChainRun.run(stack.pgUrl(), stack.newName(), langchainModel(api), dimension, base.chunkSizeTokens(),
                    base.chunkOverlapTokens(), warmup.subList(0, 20));

            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("run", run);
                api.limits(0, 0);
                Map<String, Object> free = PipelineRun.run(faroConfig(stack, api, false), warmup.subList(0, 20), corpus);
                record(rates, figures, LATENCY_BOUND, free, run, "FARO, latency-bound");
                api.limits(requestsPerMinute, 0);
                int refusedBefore = api.refusedForLimits();
                Map<String, Object> limited = PipelineRun.run(faroConfig(stack, api, true), warmup.subList(0, 20),
                        corpus);
                limited.put("refused_by_the_provider_for_limits", api.refusedForLimits() - refusedBefore);
                record(rates, figures, RATE_BOUND, limited, run, "FARO, rate-bound");
                api.limits(0, 0);
                Map<String, Object> peer = LangChainRun.run(stack.pgUrl(), stack.newName(), langchainModel(api),
                        dimension, base.chunkSizeTokens(), base.chunkOverlapTokens(), langchainCorpus);
                record(rates, figures, LANGCHAIN4J, peer, run, "LangChain4j ingestor");
                report.run(figures);
            }
            double free = Stats.median(rates.get(LATENCY_BOUND));
            double limited = Stats.median(rates.get(RATE_BOUND));
            double peer = Stats.median(rates.get(LANGCHAIN4J));
            rates.forEach((name, values) -> report.median(name, Stats.median(values)));
            report.median("latency_bound_share", free / latencyBound)
                    .median("rate_bound_share", limited / rateBound)
                    .median("faro_vs_langchain4j", free / peer)
                    .target(Target.atLeast("FARO / best the latency allows", free / latencyBound, TARGET_VS_BOUND))
                    .target(Target.atLeast("FARO / best the rate limit allows", limited / rateBound, TARGET_VS_BOUND))
                    .target(Target.atLeast("FARO / LangChain4j ingestor", free / peer, TARGET_VS_LANGCHAIN4J))
                    .line("%d documents, a stand-in at %d ms per request, %d texts per request, median of %d runs:",
                            documents, latencyMs, batch, runs)
                    .line("  FARO, %d requests in flight      %8.1f chunks/s  (best allowed %.1f: %.3f)", inFlight, free,
                            latencyBound, free / latencyBound)
                    .line("  FARO, %d requests/min limit     %8.1f chunks/s  (best allowed %.1f: %.3f)",
                            requestsPerMinute, limited, rateBound, limited / rateBound)
                    .line("  LangChain4j ingestor            %8.1f chunks/s  (FARO / LangChain4j %.2f)", peer,
                            free / peer)
                    .note("The stand-in speaks OpenAI's embeddings API on loopback; its vectors are hashes, so the"
                            + " model costs nothing and the latency is the provider's.");
            stack.versions().forEach(report::version);
            report.finish(options.results(bench), System.out);
            return 0;
        }
    }

    private static void record(Map<String, List<Double>> rates, Map<String, Object> figures, String name,
                               Map<String, Object> measured, int run, String label) {
        double rate = (double) measured.get("chunks_per_second");
        progress("run %d: %s %.1f chunks/s", run, label, rate);
        figures.put(name, measured);
        rates.computeIfAbsent(name, k -> new ArrayList<>()).add(rate);
    }

    private FaroConfig faroConfig(Stack stack, EmbeddingsStandIn api, boolean limited) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
                FaroConfig.EMBEDDING_PROVIDER, "openai",
                FaroConfig.EMBEDDING_BASE_URL, api.baseUrl(),
                FaroConfig.EMBEDDING_MODEL, MODEL,
                FaroConfig.EMBEDDING_DIMENSION, Integer.toString(dimension),
                FaroConfig.EMBED_BATCH_SIZE, Integer.toString(batch),
                FaroConfig.EMBED_REQUESTS_IN_FLIGHT, Integer.toString(inFlight)));
        if (limited) {
            settings.put(FaroConfig.EMBED_REQUESTS_PER_MINUTE, Integer.toString(requestsPerMinute));
        }
        return stack.faroConfig(stack.newName(), true, settings);
    }

    private OpenAiEmbeddingModel langchainModel(EmbeddingsStandIn api) {
        return OpenAiEmbeddingModel.builder()
                .baseUrl(api.baseUrl())
                .apiKey("unused")
                .modelName(MODEL)
                .dimensions(dimension)
                .maxSegmentsPerBatch(batch)
                .maxRetries(10)
                .timeout(Duration.ofSeconds(60))
                .build();
    }
}
