package io.faro.bench.ingest;

import static io.faro.bench.report.Progress.progress;

import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.Runs;
import io.faro.bench.data.Corpus;
import io.faro.bench.data.Squad;
import io.faro.bench.report.Report;
import io.faro.bench.report.Stats;
import io.faro.bench.report.Target;
import io.faro.bench.stack.Stack;
import io.faro.core.config.FaroConfig;
import io.faro.core.model.Chunk;
import io.faro.core.model.Document;
import io.faro.topology.split.ChunkSplitter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code faro bench ingest}: the same documents through (a) the model alone, at its best batch size
 * and thread setting, (b) the whole FARO pipeline with both sinks until every chunk is searchable, and
 * (c) LangChain4j's ingestor into pgvector; chunks/s of each and the ratios (b)/(a) and (b)/(c).
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Ingestion throughput: raw model vs FARO's pipeline vs LangChain4j's EmbeddingStoreIngestor.")
public final class IngestBenchmark implements Callable<Integer> {

    static final double TARGET_VS_MODEL = 0.85;
    static final double TARGET_VS_LANGCHAIN4J = 1.0;
    private static final String RAW = "raw_model_chunks_per_second";
    private static final String RAW_SHIPPED = "raw_model_shipped_chunks_per_second";
    private static final String PIPELINE = "pipeline_chunks_per_second";
    private static final String LANGCHAIN4J = "langchain4j_chunks_per_second";
    private static final String CHUNKS_PER_SECOND = "chunks_per_second";

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Mixin
    Runs repeat;

    @Option(names = "--documents", defaultValue = "1000",
            description = "Documents to ingest: the file's paragraphs, repeated with distinct ids"
                    + " (default: ${DEFAULT-VALUE}).")
    int documents;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "8,32,128",
            description = "Batch sizes the raw model is tried with (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--embed-threads", split = ",",
            description = "Texts embedded at once in the raw model sweep (default: 1, cores, 2 x cores).")
    List<Integer> embedThreads;

    @Option(names = "--onnx-threads", split = ",", defaultValue = "0,1",
            description = "ONNX runtime intra-op threads in the sweep; 0 is the runtime's default"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Integer> onnxThreads;

    @Option(names = "--sweep-chunks", defaultValue = "128",
            description = "Chunks each sweep setting embeds (default: ${DEFAULT-VALUE}).")
    int sweepChunks;

    @Option(names = "--sweep-passes", defaultValue = "2",
            description = "Passes over the sweep grid; each setting keeps its best pass (default: ${DEFAULT-VALUE}).")
    int sweepPasses;

    @Option(names = "--warmup-documents", defaultValue = "32",
            description = "Documents each pipeline run ingests before it is timed (default: ${DEFAULT-VALUE}).")
    int warmupDocuments;

    @Option(names = "--pipeline-warmup-runs", defaultValue = "2",
            description = "Whole pipeline runs before the timed ones (default: ${DEFAULT-VALUE}).")
    int pipelineWarmupRuns;

    @Option(names = "--only", split = ",", paramLabel = "SYSTEM",
            description = "Measure only these: model, pipeline, langchain4j (default: all three).")
    Set<Measured> only;

    /** The three things this benchmark measures. */
    enum Measured { MODEL, PIPELINE, LANGCHAIN4J }

    /** What every run ingests. */
    private record Inputs(FaroConfig config, List<Document> corpus, List<Document> warmup, List<String> texts) {
    }

    /** The raw model's settings the runs measure: the best overall and the best of OnnxEmbedder as shipped. */
    private record ModelSettings(RawModel model, RawModel.Setting best, RawModel.Setting bestShipped) {
    }

    @Override
    public Integer call() throws Exception {
        Report report = new Report("ingest", bench.repositoryRoot());
        int runs = repeat.count();
        if (only == null) {
            only = EnumSet.allOf(Measured.class);
        }
        Squad squad = Squad.read(options.data(bench));
        try (Stack stack = Stack.start(bench.env(), true)) {
            FaroConfig config = stack.baseConfig();
            List<Document> corpus = Corpus.paragraphs(squad, documents, "ingest");
            Inputs inputs = new Inputs(config, corpus, Corpus.paragraphs(squad, warmupDocuments, "warmup"),
                    chunkTexts(config, corpus));
            describe(report, stack, inputs, runs);
            Optional<ModelSettings> model = only.contains(Measured.MODEL) ? Optional.of(sweep(report, inputs))
                    : Optional.empty();
            for (int i = 1; only.contains(Measured.PIPELINE) && i <= pipelineWarmupRuns; i++) {
                // whole pipeline runs first, not timed: the first runs in a JVM are slower (measured: about a third
                // slower in the first, less in the second) while the JIT compiles Kafka's, Kafka Streams' and the
                // stores' code paths, and a timed run should not pay for that
                progress("pipeline warm-up run %d of %d (not timed)", i, pipelineWarmupRuns);
                PipelineRun.run(stack.faroConfig(stack.newName(), true, Map.of()), inputs.warmup(), inputs.corpus());
            }
            if (only.contains(Measured.LANGCHAIN4J)) {
                // the peer's first ingest loads its JDBC driver and warms its code; not timed
                LangChainRun.run(stack.pgUrl(), stack.newName(), config.embedding().localModel(), config.chunkSizeTokens(),
                        config.chunkOverlapTokens(), inputs.warmup());
            }
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                report.run(measure(run, stack, inputs, model, rates));
            }
            summarize(report, stack, inputs, runs, model, rates);
            stack.versions().forEach(report::version);
            report.finish(options.results(bench), System.out);
            return 0;
        }
    }

    private void describe(Report report, Stack stack, Inputs inputs, int runs) {
        FaroConfig config = inputs.config();
        report.parameter("data", options.data(bench).toString())
                .parameter("measured", only.stream().map(m -> m.name().toLowerCase(Locale.ROOT)).toList())
                .parameter("documents", documents)
                .parameter("chunks", inputs.texts().size())
                .parameter("runs", runs)
                .parameter("model", config.embedding().model())
                .parameter("chunk_size_tokens", config.chunkSizeTokens())
                .parameter("chunk_overlap_tokens", config.chunkOverlapTokens())
                .parameter("embed_batch_size", config.embedBatchSize())
                .parameter("embed_linger_ms", config.embedLingerMs())
                .parameter("sink_batch_size", config.sinkBatchSize())
                .parameter("sink_linger_ms", config.sinkLingerMs())
                .parameter("topic_partitions", config.kafka().topicPartitions())
                .parameter("pipeline_stores", List.of("pgvector", "qdrant"))
                .parameter("qdrant", stack.qdrantDescription())
                .parameter("warmup_documents", warmupDocuments)
                .parameter("pipeline_warmup_runs", pipelineWarmupRuns);
    }

    private ModelSettings sweep(Report report, Inputs inputs) {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> threads = embedThreads != null ? embedThreads : List.of(1, cores, 2 * cores);
        List<String> sample = inputs.texts().subList(0, Math.min(sweepChunks, inputs.texts().size()));
        RawModel raw = new RawModel(inputs.config().embedding().localModel());
        List<RawModel.Point> sweep = raw.sweep(sample, batchSizes, threads, onnxThreads, sweepPasses, point ->
                progress("sweep: %-70s %7.1f chunks/s", point.setting().describe(), point.chunksPerSecond()));
        ModelSettings settings = new ModelSettings(raw, best(sweep, false), best(sweep, true));
        report.parameter("sweep_chunks", sample.size())
                .parameter("sweep_passes", sweepPasses)
                .parameter("sweep_batch_sizes", batchSizes)
                .parameter("sweep_embed_threads", threads)
                .parameter("sweep_onnx_threads", onnxThreads)
                .parameter("raw_best_setting", settings.best().describe())
                .parameter("raw_shipped_best_setting", settings.bestShipped().describe())
                .detail("sweep", sweep.stream().map(IngestBenchmark::figures).toList());
        return settings;
    }

    /** One run of everything measured, one after the other, so that drift in the machine's load hits each alike. */
    private Map<String, Object> measure(int run, Stack stack, Inputs inputs, Optional<ModelSettings> model,
                                        Map<String, List<Double>> rates) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("run", run);
        if (model.isPresent()) {
            ModelSettings settings = model.get();
            double a = settings.model().measure(settings.best(), inputs.texts());
            double shipped = settings.best().equals(settings.bestShipped()) ? a
                    : settings.model().measure(settings.bestShipped(), inputs.texts());
            progress("run %d: raw model %.1f chunks/s (OnnxEmbedder as shipped %.1f)", run, a, shipped);
            figures.put(RAW, a);
            figures.put(RAW_SHIPPED, shipped);
            rates.computeIfAbsent(RAW, k -> new ArrayList<>()).add(a);
            rates.computeIfAbsent(RAW_SHIPPED, k -> new ArrayList<>()).add(shipped);
        }
        if (only.contains(Measured.PIPELINE)) {
            Map<String, Object> b = PipelineRun.run(stack.faroConfig(stack.newName(), true, Map.of()),
                    inputs.warmup(), inputs.corpus());
            progress("run %d: pipeline %.1f chunks/s", run, (double) b.get(CHUNKS_PER_SECOND));
            figures.put("pipeline", b);
            rates.computeIfAbsent(PIPELINE, k -> new ArrayList<>()).add((double) b.get(CHUNKS_PER_SECOND));
        }
        if (only.contains(Measured.LANGCHAIN4J)) {
            FaroConfig config = inputs.config();
            Map<String, Object> c = LangChainRun.run(stack.pgUrl(), stack.newName(), config.embedding().localModel(),
                    config.chunkSizeTokens(), config.chunkOverlapTokens(), inputs.corpus());
            progress("run %d: LangChain4j %.1f chunks/s", run, (double) c.get(CHUNKS_PER_SECOND));
            figures.put("langchain4j", c);
            rates.computeIfAbsent(LANGCHAIN4J, k -> new ArrayList<>()).add((double) c.get(CHUNKS_PER_SECOND));
        }
        return figures;
    }

    private void summarize(Report report, Stack stack, Inputs inputs, int runs, Optional<ModelSettings> model,
                           Map<String, List<Double>> rates) {
        Map<String, Double> medians = new LinkedHashMap<>();
        rates.forEach((name, values) -> {
            medians.put(name, Stats.median(values));
            report.median(name, Stats.median(values));
        });
        report.line("%d documents, %d chunks (%s, %d-token chunks), median of %d runs:", documents,
                inputs.texts().size(), inputs.config().embedding().model(), inputs.config().chunkSizeTokens(), runs);
        model.ifPresent(settings -> report
                .line("  (a) raw model, best setting        %8.1f chunks/s  [%s]", medians.get(RAW),
                        settings.best().describe())
                .line("      raw model, OnnxEmbedder as is  %8.1f chunks/s  [%s]", medians.get(RAW_SHIPPED),
                        settings.bestShipped().describe()));
        if (medians.containsKey(PIPELINE)) {
            report.line("  (b) FARO pipeline, both sinks      %8.1f chunks/s", medians.get(PIPELINE));
        }
        if (medians.containsKey(LANGCHAIN4J)) {
            report.line("  (c) LangChain4j ingestor           %8.1f chunks/s", medians.get(LANGCHAIN4J));
        }
        if (medians.containsKey(PIPELINE) && medians.containsKey(RAW)) {
            double vsModel = Stats.medianRatio(rates.get(PIPELINE), rates.get(RAW));
            double vsShipped = Stats.medianRatio(rates.get(PIPELINE), rates.get(RAW_SHIPPED));
            report.median("pipeline_vs_raw_model", vsModel)
                    .median("pipeline_vs_raw_model_shipped", vsShipped)
                    .target(Target.atLeast("pipeline / raw model", vsModel, TARGET_VS_MODEL))
                    .line("  (b)/(a) %.3f   (b)/(a, OnnxEmbedder as shipped) %.3f (medians of each run's)", vsModel,
                            vsShipped);
        }
        if (medians.containsKey(PIPELINE) && medians.containsKey(LANGCHAIN4J)) {
            double ratio = Stats.medianRatio(rates.get(PIPELINE), rates.get(LANGCHAIN4J));
            report.median("pipeline_vs_langchain4j", ratio)
                    .target(Target.atLeast("pipeline / LangChain4j ingestor", ratio, TARGET_VS_LANGCHAIN4J))
                    .line("  (b)/(c) %.3f", ratio);
        }
        report.note("Qdrant: " + stack.qdrantDescription());
        if (medians.containsKey(LANGCHAIN4J)) {
            report.note("LangChain4j: langchain4j-pgvector with its default settings, which build no vector index;"
                    + " FARO's table has an HNSW index, and FARO also writes Qdrant and Kafka.");
        }
    }

    private static List<String> chunkTexts(FaroConfig config, List<Document> corpus) {
        ChunkSplitter splitter = new ChunkSplitter(config.chunkSizeTokens(), config.chunkOverlapTokens());
        return corpus.stream().flatMap(document -> splitter.split(document, 0).stream()).map(Chunk::text).toList();
    }

    private static RawModel.Setting best(List<RawModel.Point> sweep, boolean shippedOnly) {
        return sweep.stream().filter(point -> !shippedOnly || point.setting().shipped())
                .max(Comparator.comparingDouble(RawModel.Point::chunksPerSecond)).orElseThrow().setting();
    }

    private static Map<String, Object> figures(RawModel.Point point) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("setting", point.setting().describe());
        figures.put("shipped", point.setting().shipped());
        figures.put("embed_threads", point.setting().embedThreads());
        figures.put("onnx_threads", point.setting().onnxThreads());
        figures.put("batch_size", point.setting().batchSize());
        figures.put("chunks_per_second", point.chunksPerSecond());
        return figures;
    }
}
