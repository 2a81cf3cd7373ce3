package io.faro.bench.scale;

import static io.faro.bench.report.Progress.progress;

import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.data.NearVectors;
import io.faro.bench.data.Squad;
import io.faro.bench.query.SearchClient;
import io.faro.bench.recall.HnswRecall;
import io.faro.bench.report.Report;
import io.faro.bench.report.Stats;
import io.faro.bench.report.Target;
import io.faro.bench.stack.RunningFaro;
import io.faro.bench.stack.Stack;
import io.faro.core.config.FaroConfig;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.store.VectorStore;
import io.faro.core.topic.TopicInitializer;
import io.faro.core.topic.Topics;
import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.devstack.testing.TestPostgres;
import io.faro.embedders.onnx.OnnxEmbedder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code faro bench scale}: FARO at a size users keep. For each size, synthetic embedding records go to
 * {@code faro.embeddings} of a running FARO (embedded broker, both sinks, gateway); then it measures the
 * sinks' ingest rate, {@code faro reconcile} and {@code faro rebuild} of each store, each in a child JVM
 * with the heap limit (time, heap after collections, no OutOfMemoryError), and search latency through the
 * gateway and straight to each store. With {@code --fill rebuild} the records go to a bare broker and the
 * measured rebuilds themselves fill the stores. Times of the smallest and largest size give the growth against
 * linear.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Reconcile, rebuild, ingest and search at 100 000 to 1 000 000 chunks, in bounded heap.")
public final class ScaleBenchmark implements Callable<Integer> {

    static final double TARGET_LINEAR = 1.2;
    /** pgvector's recall@10 against exact search, at tables of {@link #RECALL_TARGET_FROM} chunks or more. */
    static final double TARGET_RECALL = 0.98;
    static final int RECALL_TARGET_FROM = 100_000;

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Option(names = "--sizes", split = ",", defaultValue = "100000,1000000",
            description = "Chunk counts to measure, smallest first (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--heap", defaultValue = "512m", description = "-Xmx of the reconcile and rebuild JVMs"
            + " (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--chunks-per-document", defaultValue = "5",
            description = "Chunks of each synthetic document (default: ${DEFAULT-VALUE}).")
    int chunksPerDocument;

    /** What the synthetic vectors are. */
    enum Vectors { TEXTS, CLUSTERS }

    @Option(names = "--vectors", defaultValue = "clusters", description = "clusters: in 2 000 clusters of random"
            + " centres, whatever the text (their HNSW build grows about linearly with their number, as real text's"
            + " does); texts: each vector near the real model's vector of its chunk's text, one of the data file's"
            + " paragraphs (so they crowd around those few as the size grows, HNSW's hard case). The recall questions"
            + " are drawn as the chunks' vectors are: from the same clusters, or the data file's questions embedded."
            + " Default: ${DEFAULT-VALUE}.")
    Vectors vectors;

    /** How the stores are filled before reconcile runs. */
    enum Fill { SINKS, REBUILD }

    @Option(names = "--fill", defaultValue = "sinks", description = "sinks: a running FARO's sinks fill the stores"
            + " from the topic (measures their ingest rate and the gateway's search); rebuild: the benchmark only"
            + " publishes, and the measured faro rebuild of each store fills its empty live copy from the topic (the"
            + " fastest fill: a copy is filled without its search indexes and indexed once; measures the stores' own"
            + " search, pgvector's only with the Qdrant stand-in). Default: ${DEFAULT-VALUE}.")
    Fill fill;

    @Option(names = "--searches", defaultValue = "200",
            description = "Timed searches on each path, one caller (default: ${DEFAULT-VALUE}).")
    int searches;

    @Option(names = "--recall-queries", defaultValue = "100", description = "With --fill rebuild: questions whose"
            + " recall@10 on pgvector against exact search is measured at each --ef-search, drawn from the same"
            + " clusters as the chunks (--vectors clusters) or the data file's, embedded by the model (--vectors texts)"
            + " (0: not measured; default: ${DEFAULT-VALUE}).")
    int recallQueries;

    @Option(names = "--ef-search", split = ",", defaultValue = "40,100,200,400",
            description = "hnsw.ef_search settings the recall is measured at, FARO_PG_EF_SEARCH's always among them"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Integer> efSearch;

    @Option(names = "--maintenance-work-mem", defaultValue = "3GB", description = "maintenance_work_mem of the"
            + " benchmark's own PostgreSQL, which a pgvector rebuild's HNSW build fills: about 1 GB holds the graph"
            + " of 570 000 chunks of 384 dimensions, so 3 GB holds 1 000 000 with room; a graph that outgrows it is"
            + " built on disk, many times slower (default: ${DEFAULT-VALUE}; a server reached by FARO_PG_URL keeps its own).")
    String maintenanceWorkMem;

    /** Where each synthetic chunk's vector comes from (--vectors). */
    private SyntheticEmbeddings.VectorSource vectorSource;
    /** The questions whose recall is measured: drawn from the clusters, or the data file's embedded by the model. */
    private List<float[]> recallVectors;
    /** FARO's own {@code hnsw.ef_search} ({@code FARO_PG_EF_SEARCH}), which the recall is always measured at. */
    private int configuredEfSearch;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("scale", bench.repositoryRoot());
        Squad squad = Squad.read(options.data(bench));
        List<String> texts = squad.paragraphs().stream().map(Squad.Paragraph::context).toList();
        List<String> questions = squad.questions().stream().map(Squad.Question::text).toList();
        Map<Integer, Map<String, Object>> bySize = new LinkedHashMap<>();
        try (Stack stack = Stack.start(bench.env(), true, Map.of("maintenance_work_mem", maintenanceWorkMem))) {
            int dimension = stack.baseConfig().embedding().dimension();
            boolean measureRecall = fill == Fill.REBUILD && recallQueries > 0;
            if (vectors == Vectors.CLUSTERS) {
                ClusteredVectors clusters = new ClusteredVectors(dimension);
                vectorSource = SyntheticEmbeddings.VectorSource.clusters(clusters);
                recallVectors = measureRecall ? clusters.queries(recallQueries) : List.of();
            } else {
                try (OnnxEmbedder embedder = OnnxEmbedder.create(stack.baseConfig().embedding().localModel())) {
                    vectorSource =
                            SyntheticEmbeddings.VectorSource.nearTexts(NearVectors.of(embedder, texts), dimension);
                    recallVectors = measureRecall
                            ? NearVectors.embed(embedder, questions.stream().distinct().limit(recallQueries).toList())
                            : List.of();
                }
            }
            configuredEfSearch = stack.baseConfig().pg().efSearch();
            if (!efSearch.contains(configuredEfSearch)) {
                efSearch = Stream.concat(efSearch.stream(), Stream.of(configuredEfSearch)).sorted().toList();
            }
            report.parameter("data", options.data(bench).toString()).parameter("sizes", sizes)
                    .parameter("fill", fill.name().toLowerCase(Locale.ROOT)).parameter("heap", heap)
                    .parameter("maintenance_work_mem", maintenanceWorkMem)
                    .parameter("chunks_per_document", chunksPerDocument)
                    .parameter("vectors", vectors.name().toLowerCase(Locale.ROOT))
                    .parameter("recall_queries", recallVectors.size()).parameter("ef_search", efSearch)
                    .parameter("superseded_share", SyntheticEmbeddings.SUPERSEDED)
                    .parameter("deleted_share", SyntheticEmbeddings.DELETED)
                    .parameter("qdrant", stack.qdrantDescription());
            for (int size : sizes) {
                Map<String, Object> figures = measure(stack, size, texts, questions);
                bySize.put(size, figures);
                report.run(figures);
            }
            summarize(report, bySize);
            report.note("times: wall time of the child JVM (start-up included) running faro reconcile / faro rebuild"
                            + " STORE with -Xmx" + heap + "; heap: the most heap in use after a collection")
                    .note("ingest: from the first record published until the store holds exactly the live chunks"
                            + " (publishing and the sinks overlap)")
                    .note("search: gateway /v1/search (embeds the question, Qdrant first, pgvector shadow) and each"
                            + " store's own search with a random unit vector; the Qdrant stand-in searches by brute"
                            + " force in memory, so its latency says nothing about Qdrant's HNSW")
                    .note("Qdrant: " + stack.qdrantDescription());
            stack.versions().forEach(report::version);
            report.finish(options.results(bench), System.out);
            return 0;
        }
    }

    private Map<String, Object> measure(Stack stack, int size, List<String> texts, List<String> questions)
            throws Exception {
        return fill == Fill.SINKS ? measureWithSinks(stack, size, texts, questions)
                : measureWithRebuilds(stack, size, texts);
    }

    /**
     * The stores filled by the measured rebuilds, on a bare broker (no sinks, no gateway): each store's live copy
     * is made empty, as a first start leaves it, and {@code faro rebuild} fills a new copy from the topic and
     * switches it live; {@code faro reconcile} then compares both stores with the topic.
     */
    private Map<String, Object> measureWithRebuilds(Stack stack, int size, List<String> texts) throws Exception {
        String name = stack.newName();
        FaroConfig config = stack.baseConfig();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("chunks", size);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(stack.tempDir("faro-bench-kafka-"),
                TestPostgres.freePort());
             VectorStore pgvector = stack.openStore("pgvector", name);
             VectorStore qdrant = stack.openStore("qdrant", name)) {
            TopicInitializer.ensureTopics(config.kafka().withBootstrap(broker.bootstrapServers()),
                    config.maxDocumentBytes());
            progress("size %d: publishing synthetic embeddings", size);
            long start = System.nanoTime();
            SyntheticEmbeddings.Written written = SyntheticEmbeddings.publish(broker.bootstrapServers(), size,
                    chunksPerDocument, config.embedding().model(), config.embedding().dimension(), texts, vectorSource);
            figures.put("records", written.records());
            figures.put("live_chunks", written.live());
            figures.put("publish_seconds", (System.nanoTime() - start) / 1e9);
            Map<String, String> env = childEnv(stack, broker.bootstrapServers(), name);
            Path work = stack.tempDir("faro-bench-scale-");
            List<VectorStore> stores = List.of(pgvector, qdrant);
            for (VectorStore store : stores) {
                figures.put("rebuild_" + store.name(), child(size, env, work, "rebuild", store.name()));
                if (store.count() != written.live()) {
                    throw new IllegalStateException("after faro rebuild " + store.name() + ", it holds "
                            + store.count() + " chunks, not " + written.live());
                }
            }
            figures.put("reconcile", child(size, env, work, "reconcile"));
            Map<String, Object> latency = new LinkedHashMap<>();
            for (VectorStore store : stack.qdrantIsStandIn() ? List.of(pgvector) : stores) {
                latency.put(store.name(), storeSearch(store, config.embedding().dimension()));
            }
            figures.put("search", latency);
            if (!recallVectors.isEmpty()) {
                progress("size %d: pgvector recall@%d of %d questions against exact search, hnsw.ef_search %s", size,
                        HnswRecall.K, recallVectors.size(), efSearch);
                figures.put("recall_pgvector", HnswRecall.measure(stack.pgUrl(), name, recallVectors, efSearch));
            }
        }
        return figures;
    }

    private Map<String, Object> measureWithSinks(Stack stack, int size, List<String> texts, List<String> questions)
            throws Exception {
        String name = stack.newName();
        FaroConfig config = stack.faroConfig(name, true, Map.of(FaroConfig.RECONCILE_INTERVAL_S, "0"));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("chunks", size);
        try (RunningFaro faro = RunningFaro.start(config)) {
            awaitSinksRunning(faro.bootstrapServers(), faro.stores());
            progress("size %d: publishing synthetic embeddings", size);
            long start = System.nanoTime();
            SyntheticEmbeddings.Written written = SyntheticEmbeddings.publish(faro.bootstrapServers(), size,
                    chunksPerDocument, config.embedding().model(), config.embedding().dimension(), texts, vectorSource);
            double published = (System.nanoTime() - start) / 1e9;
            figures.put("records", written.records());
            figures.put("live_chunks", written.live());
            figures.put("publish_seconds", published);
            Map<String, Object> ingest = new LinkedHashMap<>();
            for (VectorStore store : faro.stores()) {
                double seconds = awaitSettled(faro.bootstrapServers(), store, written, start);
                ingest.put(store.name(), Map.of("seconds", seconds, "live_chunks_per_second", written.live() / seconds,
                        "records_per_second", written.records() / seconds));
                progress("size %d: %s holds the %d live chunks after %.1f s (%.0f records/s)", size, store.name(),
                        written.live(), seconds, written.records() / seconds);
            }
            figures.put("ingest", ingest);
            figures.put("search", searches(faro, questions, config.embedding().dimension()));
            Map<String, String> env = childEnv(stack, faro.bootstrapServers(), name);
            Path work = stack.tempDir("faro-bench-scale-");
            figures.put("reconcile", child(size, env, work, "reconcile"));
            for (String store : List.of("pgvector", "qdrant")) {
                figures.put("rebuild_" + store, child(size, env, work, "rebuild", store));
            }
        }
        return figures;
    }

    /**
     * Waits until the store's sink has committed every record of the topic and the store holds exactly the
     * live chunks; returns the seconds since {@code start}.
     */
    private static double awaitSettled(String bootstrap, VectorStore store, SyntheticEmbeddings.Written written,
                                       long start) throws Exception {
        long deadline = System.nanoTime() + Duration.ofHours(3).toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (System.nanoTime() < deadline) {
                if (lag(admin, KafkaIds.sinkApplicationId(store.name())) == 0 && store.count() == written.live()) {
                    return (System.nanoTime() - start) / 1e9;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(store.name() + " did not settle at " + written.live() + " chunks: "
                + store.count());
    }

    /**
     * Sends a tombstone of a chunk that never was and waits until every sink has committed it: the sinks
     * run, so the ingest clock does not count their start-up.
     */
    private static void awaitSinksRunning(String bootstrap, List<VectorStore> stores) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                new ByteArraySerializer());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            producer.send(new ProducerRecord<>(Topics.EMBEDDINGS.name(), "scale-warmup#0", null)).get();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            for (VectorStore store : stores) {
                while (lag(admin, KafkaIds.sinkApplicationId(store.name())) > 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the " + store.name() + " sink did not start within 5 minutes");
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /** Records of {@code faro.embeddings} the group has not committed yet. */
    private static long lag(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.EMBEDDINGS.name())).allTopicNames().get()
                .get(Topics.EMBEDDINGS.name()).partitions().stream()
                .map(p -> new TopicPartition(Topics.EMBEDDINGS.name(), p.partition())).toList();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        long lag = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata at = committed.get(partition);
            lag += ends.get(partition).offset() - (at == null ? 0 : at.offset());
        }
        return lag;
    }

    private Map<String, Object> searches(RunningFaro faro, List<String> questions, int dimension) {
        SearchClient client = new SearchClient(faro.gatewayUrl());
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("gateway", time(i -> client.search(questions.get(i % questions.size()), 10)));
        for (VectorStore store : faro.stores()) {
            latency.put(store.name(), storeSearch(store, dimension));
        }
        return latency;
    }

    private Map<String, Object> storeSearch(VectorStore store, int dimension) {
        SplittableRandom random = new SplittableRandom(5);
        Supplier<float[]> vector = () -> {
            float[] v = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                v[d] = (float) (random.nextDouble() * 2 - 1);
            }
            return v;
        };
        return time(i -> store.search(vector.get(), 10));
    }

    private Map<String, Object> time(IntConsumer search) {
        for (int i = 0; i < Math.min(20, searches); i++) {
            search.accept(i);
        }
        double[] millis = new double[searches];
        for (int i = 0; i < searches; i++) {
            long start = System.nanoTime();
            search.accept(i);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return Map.of("p50_ms", Stats.percentile(millis, 50), "p95_ms", Stats.percentile(millis, 95));
    }

    private static Map<String, String> childEnv(Stack stack, String bootstrap, String name) {
        Map<String, String> env = new HashMap<>();
        env.put(FaroConfig.KAFKA_BOOTSTRAP, bootstrap);
        env.put(FaroConfig.PG_URL, stack.pgUrl());
        env.put(FaroConfig.PG_TABLE, name);
        env.put(FaroConfig.QDRANT_URL, stack.qdrantUrl().orElseThrow());
        env.put(FaroConfig.QDRANT_COLLECTION, name);
        stack.qdrantApiKey().ifPresent(key -> env.put(FaroConfig.QDRANT_API_KEY, key));
        return env;
    }

    private Map<String, Object> child(int size, Map<String, String> env, Path work, String... args) {
        progress("size %d: faro %s (-Xmx%s)", size, String.join(" ", args), heap);
        ChildRun run = ChildRun.run(env, heap, work, args);
        progress("size %d: faro %s took %.1f s, exit %d, heap after GC at most %.0f MB%s", size, run.command(),
                run.seconds(), run.exitCode(), run.maxHeapAfterGcBytes() / 1e6, run.outOfMemory() ? ", OUT OF MEMORY" : "");
        if (run.exitCode() != 0) {
            progress("faro %s said:%n%s", run.command(), run.tail());
        }
        return run.figures();
    }

    @SuppressWarnings("unchecked")
    private void summarize(Report report, Map<Integer, Map<String, Object>> bySize) {
        int smallest = sizes.getFirst();
        int largest = sizes.getLast();
        report.line("%s chunks per size; -Xmx%s for reconcile and rebuild:", sizes, heap);
        for (String step : List.of("reconcile", "rebuild_pgvector", "rebuild_qdrant")) {
            StringBuilder line = new StringBuilder(String.format("  %-17s", step));
            boolean allFit = true;
            for (int size : sizes) {
                Map<String, Object> run = (Map<String, Object>) bySize.get(size).get(step);
                line.append(String.format("  %,9d: %7.1f s %4.0f MB", size, (double) run.get("seconds"),
                        (double) run.get("max_heap_after_gc_mb")));
                allFit &= (int) run.get("exit_code") == 0 && !(boolean) run.get("out_of_memory");
            }
            report.line("%s", line);
            report.target(Target.atLeast(step + " ran in -Xmx" + heap + " at every size (1 = yes)", allFit ? 1 : 0, 1));
            if (largest > smallest) {
                double small = (double) ((Map<String, Object>) bySize.get(smallest).get(step)).get("seconds");
                double large = (double) ((Map<String, Object>) bySize.get(largest).get(step)).get("seconds");
                double growth = (large / small) / ((double) largest / smallest);
                report.median(step + "_time_vs_linear", growth)
                        .target(Target.atMost(step + " time " + smallest + " -> " + largest + " / linear", growth,
                                TARGET_LINEAR));
            }
        }
        for (int size : fill == Fill.REBUILD ? sizes : List.<Integer>of()) {
            Map<String, Map<String, Object>> search = (Map<String, Map<String, Object>>) bySize.get(size).get("search");
            search.forEach((store, latency) -> report.line("  %,9d chunks: %s search p50 %.1f ms, p95 %.1f ms", size,
                    store, (double) latency.get("p50_ms"), (double) latency.get("p95_ms")));
            Map<String, Map<String, Object>> recall =
                    (Map<String, Map<String, Object>>) bySize.get(size).getOrDefault("recall_pgvector", Map.of());
            for (int ef : recall.isEmpty() ? List.<Integer>of() : efSearch) {
                Map<String, Object> at = recall.get(HnswRecall.key(ef));
                report.line("  %,9d chunks: pgvector recall@10 %.4f (lowest %.1f) at hnsw.ef_search %d, index search"
                                + " p50 %.2f ms, p95 %.2f ms", size, (double) at.get("recall_at_10"),
                        (double) at.get("min_recall_at_10"), ef, (double) at.get("p50_ms"), (double) at.get("p95_ms"));
            }
            if (!recall.isEmpty() && size >= RECALL_TARGET_FROM) {
                report.target(Target.atLeast("pgvector recall@10 at " + size + " chunks, hnsw.ef_search "
                                + configuredEfSearch + " (" + FaroConfig.PG_EF_SEARCH + ")",
                        (double) recall.get(HnswRecall.key(configuredEfSearch)).get("recall_at_10"), TARGET_RECALL));
            }
        }
        for (int size : fill == Fill.SINKS ? sizes : List.<Integer>of()) {
            Map<String, Object> figures = bySize.get(size);
            Map<String, Map<String, Object>> ingest = (Map<String, Map<String, Object>>) figures.get("ingest");
            Map<String, Map<String, Object>> search = (Map<String, Map<String, Object>>) figures.get("search");
            report.line("  %,9d chunks: ingest pgvector %.0f records/s, qdrant %.0f records/s; search p50 gateway %.1f ms,"
                            + " pgvector %.1f ms, qdrant %.1f ms", size,
                    (double) ingest.get("pgvector").get("records_per_second"),
                    (double) ingest.get("qdrant").get("records_per_second"),
                    (double) search.get("gateway").get("p50_ms"), (double) search.get("pgvector").get("p50_ms"),
                    (double) search.get("qdrant").get("p50_ms"));
        }
    }
}
