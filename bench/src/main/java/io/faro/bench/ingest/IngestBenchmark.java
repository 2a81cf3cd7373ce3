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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Mixin
    Runs repeat;

    @Option(names = "--documents", defaultValue = "1000",
            description = "Documents to ingest: the file's paragraphs, repeated with distinct ids (default: ${DEFAULT-VALUE}).")
    int documents;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "8,32,128",
            description = "Batch sizes the raw model is tried with (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--embed-threads", split = ",",
            description = "Texts embedded at once in the raw model sweep (default: 1, cores, 2 x cores).")
    List<Integer> embedThreads;

    @Option(names = "--onnx-threads", split = ",", defaultValue = "0,1",
            description = "ONNX runtime intra-op threads in the sweep; 0 is the runtime's default (default: ${DEFAULT-VALUE}).")
    List<Integer> onnxThreads;

    @Option(names = "--sweep-chunks", defaultValue = "256",
            description = "Chunks each sweep setting embeds (default: ${DEFAULT-VALUE}).")
    int sweepChunks;

    @Option(names = "--warmup-documents", defaultValue = "32",
            description = "Documents each pipeline run ingests before it is timed (default: ${DEFAULT-VALUE}).")
    int warmupDocuments;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("ingest", bench.repositoryRoot());
        int runs = repeat.count();
        Squad squad = Squad.read(options.data(bench));
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> threads = embedThreads != null ? embedThreads : List.of(1, cores, 2 * cores);
        try (Stack stack = Stack.start(bench.env(), true)) {
            FaroConfig config = stack.baseConfig();
            List<Document> corpus = Corpus.paragraphs(squad, documents, "ingest");
            List<Document> warmup = Corpus.paragraphs(squad, warmupDocuments, "warmup");
            List<String> texts = chunkTexts(config, corpus);
            report.parameter("data", options.data(bench).toString())
                    .parameter("documents", documents)
                    .parameter("chunks", texts.size())
                    .parameter("runs", runs)
                    .parameter("model", config.embeddingModel().id())
                    .parameter("chunk_size_tokens", config.chunkSizeTokens())
                    .parameter("chunk_overlap_tokens", config.chunkOverlapTokens())
                    .parameter("embed_batch_size", config.embedBatchSize())
                    .parameter("embed_linger_ms", config.embedLingerMs())
                    .parameter("sink_batch_size", config.sinkBatchSize())
                    .parameter("sink_linger_ms", config.sinkLingerMs())
                    .parameter("topic_partitions", config.topicPartitions())
                    .parameter("pipeline_stores", List.of("pgvector", "qdrant"))
                    .parameter("qdrant", stack.qdrantDescription())
                    .parameter("sweep_chunks", Math.min(sweepChunks, texts.size()))
                    .parameter("sweep_batch_sizes", batchSizes)
                    .parameter("sweep_embed_threads", threads)
                    .parameter("sweep_onnx_threads", onnxThreads);

            RawModel raw = new RawModel(config.embeddingModel());
            List<RawModel.Point> sweep = raw.sweep(texts.subList(0, Math.min(sweepChunks, texts.size())), batchSizes,
                    threads, onnxThreads, point -> progress("sweep: %-55s %7.1f chunks/s",
                            point.setting().describe(), point.chunksPerSecond()));
            RawModel.Setting best = best(sweep, false);
            RawModel.Setting bestShipped = best(sweep, true);
            report.detail("sweep", sweep.stream().map(IngestBenchmark::figures).toList());
            report.parameter("raw_best_setting", best.describe());
            report.parameter("raw_shipped_best_setting", bestShipped.describe());

            // the peer's first ingest loads its JDBC driver and warms its code; not timed
            LangChainRun.run(stack.pgUrl(), stack.newName(), config.embeddingModel(), config.chunkSizeTokens(),
                    config.chunkOverlapTokens(), warmup);

            List<Double> model = new ArrayList<>();
            List<Double> shipped = new ArrayList<>();
            List<Double> pipeline = new ArrayList<>();
            List<Double> langchain = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                // each run measures all three, one after the other, so drift in the machine's load hits each alike
                double a = raw.measure(best, texts);
                double aShipped = best.equals(bestShipped) ? a : raw.measure(bestShipped, texts);
                progress("run %d: raw model %.1f chunks/s (as shipped %.1f)", run, a, aShipped);
                Map<String, Object> b = PipelineRun.run(stack.faroConfig(stack.newName(), true, Map.of()), warmup, corpus);
                progress("run %d: pipeline %.1f chunks/s", run, (double) b.get("chunks_per_second"));
                Map<String, Object> c = LangChainRun.run(stack.pgUrl(), stack.newName(), config.embeddingModel(),
                        config.chunkSizeTokens(), config.chunkOverlapTokens(), corpus);
                progress("run %d: LangChain4j %.1f chunks/s", run, (double) c.get("chunks_per_second"));
                model.add(a);
                shipped.add(aShipped);
                pipeline.add((double) b.get("chunks_per_second"));
                langchain.add((double) c.get("chunks_per_second"));
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("run", run);
                figures.put("raw_model_chunks_per_second", a);
                figures.put("raw_model_shipped_chunks_per_second", aShipped);
                figures.put("pipeline", b);
                figures.put("langchain4j", c);
                report.run(figures);
            }
            double a = Stats.median(model);
            double aShipped = Stats.median(shipped);
            double b = Stats.median(pipeline);
            double c = Stats.median(langchain);
            report.median("raw_model_chunks_per_second", a)
                    .median("raw_model_shipped_chunks_per_second", aShipped)
                    .median("pipeline_chunks_per_second", b)
                    .median("langchain4j_chunks_per_second", c)
                    .median("pipeline_vs_raw_model", b / a)
                    .median("pipeline_vs_raw_model_shipped", b / aShipped)
                    .median("pipeline_vs_langchain4j", b / c)
                    .target(Target.atLeast("pipeline / raw model", b / a, TARGET_VS_MODEL))
                    .target(Target.atLeast("pipeline / LangChain4j ingestor", b / c, TARGET_VS_LANGCHAIN4J))
                    .note("Qdrant: " + stack.qdrantDescription())
                    .note("LangChain4j: langchain4j-pgvector with its default settings, which build no vector index;"
                            + " FARO's table has an HNSW index, and FARO also writes Qdrant and Kafka.")
                    .line("%d documents, %d chunks (%s, %d-token chunks), median of %d runs:", documents, texts.size(),
                            config.embeddingModel().id(), config.chunkSizeTokens(), runs)
                    .line("  (a) raw model, best setting       %8.1f chunks/s  [%s]", a, best.describe())
                    .line("      raw model, OnnxEmbedder as is %8.1f chunks/s  [%s]", aShipped, bestShipped.describe())
                    .line("  (b) FARO pipeline, both sinks     %8.1f chunks/s", b)
                    .line("  (c) LangChain4j ingestor          %8.1f chunks/s", c)
                    .line("  (b)/(a) %.3f   (b)/(a as shipped) %.3f   (b)/(c) %.3f", b / a, b / aShipped, b / c);
            stack.versions().forEach(report::version);
            report.finish(options.results(bench), System.out);
            return 0;
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
