package io.faro.bench.recall;

import static io.faro.bench.report.Progress.progress;

import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.Runs;
import io.faro.bench.data.Corpus;
import io.faro.bench.data.EmbeddedCorpus;
import io.faro.bench.data.JavadocCorpus;
import io.faro.bench.data.Squad;
import io.faro.bench.report.Report;
import io.faro.bench.report.Stats;
import io.faro.bench.report.Target;
import io.faro.bench.stack.Stack;
import io.faro.bench.store.ExactSearch;
import io.faro.bench.store.PgExactSearch;
import io.faro.bench.store.QdrantExactSearch;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.embedders.onnx.OnnxEmbedder;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.VectorStore;
import io.faro.stores.pgvector.PgVectorStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code faro bench recall}: for each store, recall@k of FARO's search (the store's approximate
 * index) against exact search over the same vectors. The vectors are the model's, of real text: the SQuAD
 * file's paragraphs and questions, or ({@code --corpus javadoc}) as many distinct chunks as asked of the JDK's
 * own documentation comments, asked by the first sentences of comments left out of the index. With
 * {@code --ef-search}, pgvector's recall is also measured at each {@code hnsw.ef_search} given, with its cost.
 */
@Command(name = "recall", mixinStandardHelpOptions = true,
        description = "recall@k of each store's approximate search against exact search on the same vectors.")
public final class RecallBenchmark implements Callable<Integer> {

    static final double TARGET_RECALL = 0.98;
    private static final int UPSERT_BATCH = 256;
    /** The questions of least recall each result names, to look at what the index misses. */
    private static final int WORST_SHOWN = 5;

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Mixin
    Runs repeat;

    @Option(names = "--documents", defaultValue = "0",
            description = "Documents to index: the file's paragraphs, repeated with distinct ids;"
                    + " 0 = each paragraph once (default).")
    int documents;

    @Option(names = "--k", defaultValue = "10", description = "Hits compared per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Mixin
    JavadocCorpus corpus;

    @Option(names = "--ef-search", split = ",", description = "hnsw.ef_search settings at which pgvector's recall@"
            + HnswRecall.K + " and index search latency are also measured (default: none; FARO's own search uses"
            + " FARO_PG_EF_SEARCH).")
    List<Integer> efSearch = List.of();

    @Option(names = "--hnsw", split = ",", paramLabel = "M:EF_CONSTRUCTION", converter = HnswRecall.Settings.class,
            description = "With --ef-search: HNSW build settings (m:ef_construction, such as 16:64,24:128) with which"
                    + " pgvector's index is also built again on the same table, each measured at every --ef-search,"
                    + " with its build time (default: only FARO_PG_HNSW_M and FARO_PG_HNSW_EF_CONSTRUCTION's).")
    List<FaroConfig.HnswBuild> hnsw = List.of();

    @Override
    public Integer call() {
        Report report = new Report("recall", bench.repositoryRoot());
        int runs = repeat.count();
        try (Stack stack = Stack.start(bench.env(), true)) {
            FaroConfig config = stack.baseConfig();
            Embedder embedder = OnnxEmbedder.create(config.embedding().localModel());
            List<EmbeddedChunk> records;
            List<String> questions;
            if (corpus.source() == JavadocCorpus.Source.JAVADOC) {
                JavadocCorpus.Texts texts = corpus.read(config, embedder);
                records = texts.records();
                questions = texts.questions();
                report.parameter("data", texts.sources().toString());
            } else {
                Squad squad = Squad.read(options.data(bench));
                int count = documents > 0 ? documents : squad.paragraphs().size();
                records = EmbeddedCorpus.of(config, embedder, Corpus.paragraphs(squad, count, "recall"));
                questions = squad.questions().stream().map(Squad.Question::text).toList();
                report.parameter("data", options.data(bench).toString()).parameter("documents", count);
            }
            List<float[]> queries = questions.stream().map(embedder::embedQuery).toList();
            progress("%d vectors, %d queries", records.size(), queries.size());
            report.parameter("corpus", corpus.source().name().toLowerCase(Locale.ROOT))
                    .parameter("vectors", records.size())
                    .parameter("queries", queries.size())
                    .parameter("k", k)
                    .parameter("runs", runs)
                    .parameter("model", config.embedding().model())
                    .parameter("chunk_size_tokens", config.chunkSizeTokens())
                    .parameter("chunk_overlap_tokens", config.chunkOverlapTokens())
                    .parameter("pg_ef_search", config.pg().efSearch())
                    .parameter("ef_search", efSearch)
                    .parameter("hnsw", config.pg().hnsw().storageParameters())
                    .parameter("hnsw_compared", hnsw.stream().map(FaroConfig.HnswBuild::storageParameters).toList())
                    .parameter("qdrant", stack.qdrantDescription());
            Map<String, List<Double>> recalls = new LinkedHashMap<>();
            Map<String, List<Map<String, Object>>> bySetting = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("run", run);
                for (String storeName : List.of("pgvector", "qdrant")) {
                    Map<String, Object> measured = measure(stack, storeName, records, questions, queries, report,
                            run == 1, bySetting);
                    figures.put(storeName, measured);
                    recalls.computeIfAbsent(storeName, s -> new ArrayList<>()).add((Double) measured.get("recall"));
                    progress("run %d: %s recall@%d %.4f", run, storeName, k, (double) measured.get("recall"));
                }
                report.run(figures);
            }
            report.line("%d vectors (%s), %d queries, median of %d index builds:", records.size(),
                    config.embedding().model(), queries.size(), runs);
            recalls.forEach((store, values) -> {
                double median = Stats.median(values);
                report.median(store + "_recall_at_" + k, median)
                        .target(Target.atLeast(store + " recall@" + k, median, TARGET_RECALL))
                        .line("  %-10s recall@%d %.4f", store, k, median);
            });
            bySetting.forEach((key, measured) -> {
                double recall = Stats.median(measured.stream().map(m -> (double) m.get("recall_at_10")).toList());
                report.median("pgvector_recall_at_10_" + key, recall)
                        .line("  pgvector %s: recall@%d %.4f (lowest %.1f), index search p50 %.2f ms, p95 %.2f ms",
                                key, HnswRecall.K, recall,
                                Stats.median(measured.stream().map(m -> (double) m.get("min_recall_at_10")).toList()),
                                Stats.median(measured.stream().map(m -> (double) m.get("p50_ms")).toList()),
                                Stats.median(measured.stream().map(m -> (double) m.get("p95_ms")).toList()));
            });
            report.note("Qdrant: " + stack.qdrantDescription()
                    + (stack.qdrantIsStandIn()
                            ? "; its 'approximate' search is exact, so its recall is 1 by construction"
                            + " (set FARO_QDRANT_URL to measure a real Qdrant's HNSW index)" : ""));
            if (records.size() < 10_000) {
                report.note("a small index: HNSW search visits much of a graph of " + records.size()
                        + " vectors, so recall is higher here than at millions (--corpus javadoc --chunks 100000)");
            }
            stack.versions().forEach(report::version);
            report.finish(options.results(bench), System.out);
            return 0;
        }
    }

    /**
     * Each setting of a sweep under its key across runs: {@code ef_search_40} at the table's own build settings
     * ({@code prefix} empty), {@code m_24_ef_construction_128_ef_search_40} for each one of {@code --hnsw}.
     */
    private static void collect(Map<String, List<Map<String, Object>>> bySetting, String prefix,
                                Map<String, Map<String, Object>> sweep) {
        sweep.forEach((key, atEf) -> bySetting.computeIfAbsent(prefix + key, k -> new ArrayList<>()).add(atEf));
    }

    private Map<String, Object> measure(Stack stack, String storeName, List<EmbeddedChunk> records,
                                        List<String> questions, List<float[]> queries, Report report,
                                        boolean recordPlan, Map<String, List<Map<String, Object>>> bySetting) {
        String name = stack.newName();
        boolean pg = storeName.equals("pgvector");
        try (VectorStore store = stack.openStore(storeName, name);
             ExactSearch exact = pg ? new PgExactSearch(stack.pgUrl(), name)
                     : new QdrantExactSearch(stack.qdrantUrl().orElseThrow(), stack.qdrantApiKey(), name)) {
            for (int from = 0; from < records.size(); from += UPSERT_BATCH) {
                store.upsert(records.subList(from, Math.min(from + UPSERT_BATCH, records.size())));
            }
            if (pg && recordPlan) {
                String plan = ((PgExactSearch) exact).plan(queries.getFirst(), k);
                if (plan.contains("Index Scan")) {
                    throw new IllegalStateException("pgvector's exact search still uses an index:\n" + plan);
                }
                report.detail("pgvector_exact_plan", plan.lines().toList());
            }
            double[] perQuery = new double[queries.size()];
            double[] exactKth = new double[queries.size()];
            double[] foundKth = new double[queries.size()];
            List<List<ExactSearch.Hit>> nearest = new ArrayList<>(queries.size());
            for (int i = 0; i < queries.size(); i++) {
                List<SearchHit> found = store.search(queries.get(i), k);
                nearest.add(exact.search(queries.get(i), k));
                perQuery[i] = Recall.at(found, nearest.get(i));
                exactKth[i] = nearest.get(i).isEmpty() ? 0 : nearest.get(i).getLast().score();
                foundKth[i] = found.isEmpty() ? 0 : found.getLast().score();
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("recall", java.util.Arrays.stream(perQuery).average().orElse(1.0));
            figures.put("min_recall", java.util.Arrays.stream(perQuery).min().orElse(1.0));
            figures.put("queries_below_1", java.util.Arrays.stream(perQuery).filter(r -> r < 1.0).count());
            figures.put("queries_below_0_5", java.util.Arrays.stream(perQuery).filter(r -> r < 0.5).count());
            figures.put("worst_queries", IntStream.range(0, perQuery.length).boxed()
                    .sorted(Comparator.comparingDouble(i -> perQuery[i])).limit(WORST_SHOWN)
                    .filter(i -> perQuery[i] < 1.0)
                    .map(i -> Map.of("query", questions.get(i), "recall", perQuery[i],
                            "exact_kth_score", exactKth[i], "found_kth_score", foundKth[i])).toList());
            if (pg && !efSearch.isEmpty()) {
                progress("pgvector recall@%d at hnsw.ef_search %s", HnswRecall.K, efSearch);
                PgExactSearch table = (PgExactSearch) exact;
                // the exact answers above, unless they were for another k: each is a full scan of the table
                List<List<ExactSearch.Hit>> truth = k == HnswRecall.K ? nearest
                        : queries.stream().map(query -> table.search(query, HnswRecall.K)).toList();
                Map<String, Map<String, Object>> sweep = HnswRecall.measure(table, queries, truth, efSearch);
                figures.put("ef_search", sweep);
                collect(bySetting, "", sweep);
                Map<String, Object> built = new LinkedHashMap<>();
                for (FaroConfig.HnswBuild setting : hnsw) {
                    progress("building pgvector's HNSW index again with %s", setting.storageParameters());
                    double seconds = table.execute(PgVectorStore.hnswReindex(name, setting));
                    progress("built in %.1f s; recall@%d at hnsw.ef_search %s", seconds, HnswRecall.K, efSearch);
                    Map<String, Map<String, Object>> rebuilt = HnswRecall.measure(table, queries, truth, efSearch);
                    built.put(HnswRecall.key(setting), Map.of("build_seconds", seconds, "ef_search", rebuilt));
                    collect(bySetting, HnswRecall.key(setting) + "_", rebuilt);
                }
                if (!built.isEmpty()) {
                    figures.put("hnsw", built);
                }
            }
            return figures;
        }
    }
}
