package io.faro.bench.ceiling;

import static io.faro.bench.report.Progress.progress;

import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.Runs;
import io.faro.bench.data.Corpus;
import io.faro.bench.data.EmbeddingsTopic;
import io.faro.bench.data.NearVectors;
import io.faro.bench.data.Squad;
import io.faro.bench.report.CpuUse;
import io.faro.bench.report.Report;
import io.faro.bench.report.Stats;
import io.faro.bench.report.Target;
import io.faro.bench.stack.RunningFaro;
import io.faro.bench.stack.Stack;
import io.faro.bench.store.Postgres;
import io.faro.cli.component.EmbeddingModels;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Chunk;
import io.faro.core.model.Document;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.VectorStore;
import io.faro.embedders.onnx.OnnxEmbedder;
import io.faro.topology.split.ChunkSplitter;
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
 * {@code faro bench ceiling}: how fast FARO's own path goes with the model taken out of it. The same chunks, with
 * vectors that cost nothing ({@link FreeEmbedder}: near the real model's, made beforehand), three ways, in turn in each run:
 * <ol>
 *   <li><b>raw</b>: pgvector's batched write rate, FARO's {@code PgVectorStore.upsert} called from memory in batches
 *       of {@code FARO_SINK_BATCH_SIZE} into an empty table;</li>
 *   <li><b>pipeline</b>: documents published to {@code faro.documents} until every chunk is searchable in pgvector,
 *       through the ingest topology (split, embed with the free model, exactly-once transactions) and the pgvector
 *       sink, as {@code faro up} runs them;</li>
 *   <li><b>sink</b>: the same chunks' embedding records published straight to {@code faro.embeddings}, until
 *       searchable: the sink alone.</li>
 * </ol>
 * Each timed phase starts right after a {@code CHECKPOINT} ({@link Postgres#checkpoint}), so that none runs beside
 * one that another phase's writes started.
 */
@Command(name = "ceiling", mixinStandardHelpOptions = true,
        description = "The pipeline's own ceiling, the model taken out, against pgvector's raw batched write rate.")
public final class CeilingBenchmark implements Callable<Integer> {

    static final double TARGET_VS_RAW = 0.8;
    private static final String RAW = "raw_pgvector_chunks_per_second";
    private static final String PIPELINE = "pipeline_chunks_per_second";
    private static final String SINK = "sink_chunks_per_second";

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Mixin
    Runs repeat;

    @Option(names = "--documents", defaultValue = "8000",
            description = "Documents to ingest: the file's paragraphs, repeated with distinct ids"
                    + " (default: ${DEFAULT-VALUE}).")
    int documents;

    // the JVM's CPU in the pipeline phase fell run by run until the fourth: 1.27, 0.89, 0.65, 0.52, then 0.45, 0.40
    // and 0.47 cores (2026-12-04, one warm-up and six timed runs), so the JIT is done after four
    @Option(names = "--warmup-runs", defaultValue = "4",
            description = "Runs of all three before the timed ones, while the JIT compiles (default: ${DEFAULT-VALUE}).")
    int warmupRuns;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("ceiling", bench.repositoryRoot());
        Squad squad = Squad.read(options.data(bench));
        try (Stack stack = Stack.start(bench.env(), false)) {
            FaroConfig config = stack.baseConfig();
            List<Document> corpus = Corpus.paragraphs(squad, documents, "ceiling");
            List<Document> warmup = Corpus.paragraphs(squad, 64, "warmup");
            ChunkSplitter splitter = new ChunkSplitter(config.chunkSizeTokens(), config.chunkOverlapTokens());
            List<Chunk> split = corpus.stream().flatMap(document -> splitter.split(document, 0).stream()).toList();
            progress("embedding the distinct chunk texts once with %s", config.embedding().model());
            FreeEmbedder model;
            try (OnnxEmbedder embedder = OnnxEmbedder.create(config.embedding().localModel())) {
                model = new FreeEmbedder(config.embedding().model(), config.embedding().dimension(),
                        NearVectors.of(embedder, split.stream().map(Chunk::contextText).toList()));
            }
            EmbeddingModels free = (settings, meters) -> new Embedders(name -> model, name -> model.dimension());
            List<EmbeddedChunk> chunks = embedded(split, model, "raw");
            report.parameter("data", options.data(bench).toString())
                    .parameter("documents", documents)
                    .parameter("chunks", chunks.size())
                    .parameter("runs", repeat.count())
                    .parameter("warmup_runs", warmupRuns)
                    .parameter("dimension", model.dimension())
                    .parameter("vectors", "the real model's vector of the chunk's text, moved by a random offset of norm "
                            + NearVectors.OFFSET)
                    .parameter("sink_batch_size", config.sinkBatchSize())
                    .parameter("sink_linger_ms", config.sinkLingerMs())
                    .parameter("embed_batch_size", config.embedBatchSize())
                    .parameter("topic_partitions", config.kafka().topicPartitions())
                    .parameter("checkpoint_before_each_phase", Postgres.checkpoint(stack.pgUrl()));
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int run = 1 - warmupRuns; run <= repeat.count(); run++) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("run", run);
                double raw = raw(stack, config, chunks, figures);
                Map<String, Object> pipeline = pipeline(stack, free, warmup, corpus, chunks.size(),
                        embedded(split, model, "sink"));
                figures.put(RAW, raw);
                figures.putAll(pipeline);
                progress("%s %d: raw pgvector %.0f chunks/s, pipeline %.0f, sink alone %.0f; cores busy (machine/JVM)"
                                + " raw %s/%s, pipeline %s/%s, sink %s/%s", run < 1 ? "warm-up" : "run", run, raw,
                        (double) pipeline.get(PIPELINE), (double) pipeline.get(SINK),
                        figures.get("raw_cores_busy_machine"), figures.get("raw_cores_busy_jvm"),
                        figures.get("pipeline_cores_busy_machine"), figures.get("pipeline_cores_busy_jvm"),
                        figures.get("sink_cores_busy_machine"), figures.get("sink_cores_busy_jvm"));
                if (run >= 1) {
                    report.run(figures);
                    for (String rate : List.of(RAW, PIPELINE, SINK)) {
                        rates.computeIfAbsent(rate, k -> new ArrayList<>()).add(((Number) figures.get(rate)).doubleValue());
                    }
                }
            }
            summarize(report, config, chunks.size(), rates);
            stack.versions().forEach(report::version);
            report.finish(options.results(bench), System.out);
            return 0;
        }
    }

    /** The split chunks under document ids of their own ({@code prefix-}), each with a free vector. */
    private static List<EmbeddedChunk> embedded(List<Chunk> split, FreeEmbedder model, String prefix) {
        List<EmbeddedChunk> chunks = new ArrayList<>(split.size());
        for (Chunk chunk : split) {
            String docId = prefix + "-" + chunk.docId();
            Chunk renamed = new Chunk(Chunk.idOf(docId, chunk.chunkIndex()), docId, 1, chunk.chunkIndex(),
                    chunk.title(), chunk.text(), chunk.metadata());
            chunks.add(new EmbeddedChunk(renamed, model.model(), model.dimension(),
                    model.embedQuery(renamed.contextText())));
        }
        return chunks;
    }

    /**
     * pgvector's batched write rate: FARO's upsert, from memory, batches of the sink's size, into an empty table; the
     * cores busy while it writes go into {@code figures}.
     */
    private static double raw(Stack stack, FaroConfig config, List<EmbeddedChunk> chunks, Map<String, Object> figures) {
        String name = stack.newName();
        int batch = config.sinkBatchSize();
        try (VectorStore store = stack.openStore("pgvector", name)) {
            Postgres.checkpoint(stack.pgUrl());
            long start = System.nanoTime();
            CpuUse cpuStart = CpuUse.now();
            for (int from = 0; from < chunks.size(); from += batch) {
                store.upsert(chunks.subList(from, Math.min(from + batch, chunks.size())));
            }
            cpu(figures, "raw", CpuUse.now().coresSince(cpuStart));
            return chunks.size() / ((System.nanoTime() - start) / 1e9);
        } finally {
            Postgres.dropTablesStartingWith(stack.pgUrl(), name);
        }
    }

    /**
     * FARO with the free model and the pgvector sink alone: a warm-up set, then the documents until their chunks are
     * searchable (the pipeline), then the same chunks as embedding records under other ids (the sink alone).
     */
    private static Map<String, Object> pipeline(Stack stack, EmbeddingModels free, List<Document> warmup,
                                                List<Document> corpus, int chunks, List<EmbeddedChunk> sinkRecords)
            throws Exception {
        String name = stack.newName();
        FaroConfig config = stack.faroConfig(name, false, Map.of());
        Map<String, Object> figures = new LinkedHashMap<>();
        try (RunningFaro faro = RunningFaro.start(config, free)) {
            long warm = RunningFaro.chunkCount(config, warmup);
            faro.publish(warmup);
            faro.awaitChunks(warm, Duration.ofMinutes(3));
            double writesBefore = writeSeconds(faro);

            Postgres.checkpoint(stack.pgUrl());
            long start = System.nanoTime();
            CpuUse cpuStart = CpuUse.now();
            faro.publish(corpus);
            long reached = faro.awaitChunks(warm + chunks, Duration.ofMinutes(10))[0];
            cpu(figures, "pipeline", CpuUse.now().coresSince(cpuStart));
            double seconds = (reached - start) / 1e9;
            figures.put(PIPELINE, chunks / seconds);
            figures.put("pipeline_seconds", seconds);
            figures.put("pipeline_sink_write_seconds", writeSeconds(faro) - writesBefore);

            Map<String, byte[]> records = EmbeddingsTopic.serialize(sinkRecords);
            writesBefore = writeSeconds(faro);
            Postgres.checkpoint(stack.pgUrl());
            start = System.nanoTime();
            cpuStart = CpuUse.now();
            EmbeddingsTopic.publishSerialized(faro.bootstrapServers(), records);
            reached = faro.awaitChunks(warm + chunks + records.size(), Duration.ofMinutes(10))[0];
            cpu(figures, "sink", CpuUse.now().coresSince(cpuStart));
            seconds = (reached - start) / 1e9;
            figures.put(SINK, records.size() / seconds);
            figures.put("sink_seconds", seconds);
            figures.put("sink_write_seconds", writeSeconds(faro) - writesBefore);
        } finally {
            Postgres.dropTablesStartingWith(stack.pgUrl(), name);
        }
        return figures;
    }

    /** Cores busy in a phase: the machine's, and of them this JVM's (FARO, the broker, the benchmark's clients). */
    private static void cpu(Map<String, Object> figures, String phase, CpuUse.Cores cores) {
        figures.put(phase + "_cores_busy_machine", cores.machine());
        figures.put(phase + "_cores_busy_jvm", cores.jvm());
    }

    private static double writeSeconds(RunningFaro faro) {
        return faro.metric(MetricNames.SINK_WRITE_SECONDS + "_sum", MetricNames.TAG_STORE + "=\"pgvector\"");
    }

    private static void summarize(Report report, FaroConfig config, int chunks, Map<String, List<Double>> rates) {
        double raw = Stats.median(rates.get(RAW));
        double pipeline = Stats.median(rates.get(PIPELINE));
        double sink = Stats.median(rates.get(SINK));
        double pipelineVsRaw = Stats.medianRatio(rates.get(PIPELINE), rates.get(RAW));
        double sinkVsRaw = Stats.medianRatio(rates.get(SINK), rates.get(RAW));
        report.median(RAW, raw).median(PIPELINE, pipeline).median(SINK, sink)
                .median("pipeline_vs_raw", pipelineVsRaw).median("sink_vs_raw", sinkVsRaw)
                .target(Target.atLeast("pipeline / raw pgvector writes", pipelineVsRaw, TARGET_VS_RAW))
                .line("%d chunks, %d dimensions, free vectors, median of %d runs (ratios: of each run's):", chunks,
                        config.embedding().dimension(), rates.get(RAW).size())
                .line("  raw pgvector upserts (batches of %d)  %8.0f chunks/s", config.sinkBatchSize(), raw)
                .line("  pipeline, documents -> searchable     %8.0f chunks/s   %.3f of raw", pipeline, pipelineVsRaw)
                .line("  sink alone, embeddings -> searchable  %8.0f chunks/s   %.3f of raw", sink, sinkVsRaw)
                .note("pipeline = faro.documents -> split -> free model -> faro.embeddings -> pgvector sink, exactly"
                        + " once, as faro up runs it (no Qdrant sink); sink alone = the same chunks' embedding records"
                        + " published to faro.embeddings; raw = PgVectorStore.upsert from memory");
    }
}
