package io.faro.bench.rebuild;

import io.faro.embedders.EmbedderFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static io.faro.bench.report.Progress.progress;

import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.Runs;
import io.faro.bench.data.Corpus;
import io.faro.bench.data.EmbeddedCorpus;
import io.faro.bench.data.EmbeddingsTopic;
import io.faro.bench.data.Squad;
import io.faro.bench.report.Report;
import io.faro.bench.report.Stats;
import io.faro.bench.report.Target;
import io.faro.bench.stack.Stack;
import io.faro.bench.store.Postgres;
import io.faro.bench.store.Qdrant;
import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.maintenance.rebuild.Rebuilder;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.embedders.onnx.OnnxEmbedder;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.VectorStore;
import io.faro.devstack.testing.TestPostgres;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.topic.TopicInitializer;
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
 * {@code faro bench rebuild}: for each store, the rate at which {@code faro rebuild} replays
 * {@code faro.embeddings} into a new copy (replay, verify, switch, catch up), against the rate at which
 * the store takes the same records written straight from memory in batches of the same size.
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = "Rebuild throughput (replay of faro.embeddings) against the store's raw batched upsert rate.")
public final class RebuildBenchmark implements Callable<Integer> {

    static final double TARGET_VS_RAW = 0.8;
    /** The batch the raw writes use: the Rebuilder's (its BATCH), so both write the same way. */
    static final int BATCH = 500;

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Mixin
    Runs repeat;

    @Option(names = "--records", defaultValue = "20000",
            description = "Embedding records in faro.embeddings (default: ${DEFAULT-VALUE}).")
    int records;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("rebuild", bench.repositoryRoot());
        int runs = repeat.count();
        Squad squad = Squad.read(options.data(bench));
        try (Stack stack = Stack.start(bench.env(), true);
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(stack.tempDir("faro-bench-kafka-"),
                     TestPostgres.freePort())) {
            FaroConfig config = stack.baseConfig();
            TopicInitializer.ensureTopics(config.kafka().withBootstrap(broker.bootstrapServers()),
                    config.maxDocumentBytes());
            List<EmbeddedChunk> embeddings = embeddings(config, squad);
            progress("publishing %d embedding records", embeddings.size());
            EmbeddingsTopic.publish(broker.bootstrapServers(), embeddings);
            report.parameter("data", options.data(bench).toString())
                    .parameter("records", embeddings.size())
                    .parameter("runs", runs)
                    .parameter("batch", BATCH)
                    .parameter("topic_partitions", config.kafka().topicPartitions())
                    .parameter("model", config.embedding().model())
                    .parameter("qdrant", stack.qdrantDescription());
            Map<String, List<Double>> medians = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("run", run);
                for (String store : List.of("pgvector", "qdrant")) {
                    double raw = rawUpserts(stack, config, store, embeddings);
                    Map<String, Object> rebuild = rebuild(stack, config, store, broker.bootstrapServers(),
                            embeddings.size());
                    double rate = (double) rebuild.get("records_per_second");
                    figures.put(store, Map.of("raw_upserts_per_second", raw, "rebuild", rebuild));
                    medians.computeIfAbsent(store + "_raw_upserts_per_second", k -> new ArrayList<>()).add(raw);
                    medians.computeIfAbsent(store + "_rebuild_records_per_second", k -> new ArrayList<>()).add(rate);
                    medians.computeIfAbsent(store + "_replay_records_per_second", k -> new ArrayList<>())
                            .add((double) rebuild.get("replay_records_per_second"));
                    progress("run %d: %s raw upserts %.0f/s, rebuild %.0f records/s", run, store, raw, rate);
                }
                report.run(figures);
            }
            medians.forEach((name, values) -> report.median(name, Stats.median(values)));
            report.line("%d records (%s, %d dimensions), batches of %d, median of %d runs:", embeddings.size(),
                    config.embedding().model(), config.embedding().dimension(), BATCH, runs);
            for (String store : List.of("pgvector", "qdrant")) {
                double raw = Stats.median(medians.get(store + "_raw_upserts_per_second"));
                double rebuild = Stats.median(medians.get(store + "_rebuild_records_per_second"));
                double replay = Stats.median(medians.get(store + "_replay_records_per_second"));
                double ratio = Stats.medianRatio(medians.get(store + "_rebuild_records_per_second"),
                        medians.get(store + "_raw_upserts_per_second"));
                report.median(store + "_rebuild_vs_raw", ratio)
                        .target(Target.atLeast(store + " rebuild / raw upserts", ratio, TARGET_VS_RAW))
                        .line("  %-9s raw upserts %8.0f/s   rebuild %8.0f/s (replay phase %8.0f/s)   ratio %.3f",
                                store, raw, rebuild, replay, ratio);
            }
            report.note("rebuild = the whole of faro rebuild: create the copy, replay, verify the copy's chunk ids"
                            + " against the topic, switch, catch up; replay phase = the replay alone")
                    .note("raw upserts = FARO's VectorStore.upsert of the same records from memory into a new, empty"
                            + " copy, in batches of " + BATCH)
                    .note("Qdrant: " + stack.qdrantDescription());
            stack.versions().forEach(report::version);
            report.finish(options.results(bench), System.out);
            return 0;
        }
    }

    /** The corpus's chunks with real vectors, as many records as asked, each with its own chunk id. */
    private List<EmbeddedChunk> embeddings(FaroConfig config, Squad squad) {
        OnnxEmbedder embedder = OnnxEmbedder.create(config.embedding().localModel());
        List<EmbeddedChunk> distinct = EmbeddedCorpus.of(config, embedder,
                Corpus.paragraphs(squad, squad.paragraphs().size(), "rebuild"));
        List<EmbeddedChunk> all = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            EmbeddedChunk source = distinct.get(i % distinct.size());
            Chunk chunk = source.chunk();
            String docId = "rebuild-" + i;
            all.add(new EmbeddedChunk(new Chunk(Chunk.idOf(docId, 0), docId, 0, 0, chunk.title(), chunk.text(),
                    chunk.metadata()), source.model(), source.dimension(), source.vector()));
        }
        return all;
    }

    private static double rawUpserts(Stack stack, FaroConfig config, String store, List<EmbeddedChunk> embeddings) {
        String name = stack.newName();
        try (VectorStore target = open(stack, config, store, name)) {
            long start = System.nanoTime();
            for (int from = 0; from < embeddings.size(); from += BATCH) {
                target.upsert(embeddings.subList(from, Math.min(from + BATCH, embeddings.size())));
            }
            return embeddings.size() / ((System.nanoTime() - start) / 1e9);
        } finally {
            drop(stack, store, name);
        }
    }

    private static Map<String, Object> rebuild(Stack stack, FaroConfig config, String store, String bootstrap,
                                               int expected) {
        String name = stack.newName();
        String model = config.embedding().model();
        int dimension = config.embedding().dimension();
        open(stack, config, store, name).close(); // the live copy a rebuild replaces, as faro up leaves it
        double[] replayRate = {0};
        long[] replayDone = {0};
        try (StoreCopies copies = stack.openCopies(store, name)) {
            long start = System.nanoTime();
            Rebuilder.Result result = new Rebuilder(KafkaSettings.at(bootstrap), copies, EmbedderFactory.embedders(config, new SimpleMeterRegistry()), progress -> {
                // the replay passes until one finds little new: its rate is the rate of the pass that read the most
                if (progress.phase().equals("replay") && progress.done() >= replayDone[0]) {
                    replayDone[0] = progress.done();
                    replayRate[0] = progress.recordsPerSecond();
                }
            }).rebuild();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (result.liveChunks() != expected) {
                throw new IllegalStateException("the rebuilt " + store + " copy holds " + result.liveChunks()
                        + " chunks, expected " + expected);
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("records", result.records());
            figures.put("seconds", seconds);
            figures.put("records_per_second", result.records() / seconds);
            figures.put("replay_records_per_second", replayRate[0]);
            return figures;
        } finally {
            drop(stack, store, name);
        }
    }

    private static VectorStore open(Stack stack, FaroConfig config, String store, String name) {
        return stack.openStore(store, name);
    }

    /** Removes a run's copies at once, so the next run's writes meet the same empty server. */
    private static void drop(Stack stack, String store, String name) {
        if (store.equals("pgvector")) {
            Postgres.dropTablesStartingWith(stack.pgUrl(), name);
        } else {
            Qdrant.deleteCollectionsStartingWith(stack.qdrantUrl().orElseThrow(), stack.qdrantApiKey(), name);
        }
    }
}
