package io.faro.bench.recall;

import static io.faro.bench.report.Progress.progress;

import io.faro.bench.BenchCommand;
import io.faro.bench.BenchOptions;
import io.faro.bench.Runs;
import io.faro.bench.data.Corpus;
import io.faro.bench.data.EmbeddedCorpus;
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
import io.faro.core.store.VectorStore;
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
 * {@code faro bench recall}: for each store, recall@k of FARO's search (the store's approximate
 * index) against exact search over the same vectors, for every question of the file.
 */
@Command(name = "recall", mixinStandardHelpOptions = true,
        description = "recall@k of each store's approximate search against exact search on the same vectors.")
public final class RecallBenchmark implements Callable<Integer> {

    static final double TARGET_RECALL = 0.98;
    private static final int UPSERT_BATCH = 256;

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

    @Override
    public Integer call() {
        Report report = new Report("recall", bench.repositoryRoot());
        int runs = repeat.count();
        Squad squad = Squad.read(options.data(bench));
        try (Stack stack = Stack.start(bench.env(), true)) {
            FaroConfig config = stack.baseConfig();
            Embedder embedder = OnnxEmbedder.create(config.embedding().localModel());
            int count = documents > 0 ? documents : squad.paragraphs().size();
            List<EmbeddedChunk> records = EmbeddedCorpus.of(config, embedder,
                    Corpus.paragraphs(squad, count, "recall"));
            List<float[]> queries = squad.questions().stream().map(question -> embedder.embedQuery(question.text()))
                    .toList();
            progress("%d vectors, %d queries", records.size(), queries.size());
            report.parameter("data", options.data(bench).toString())
                    .parameter("documents", count)
                    .parameter("vectors", records.size())
                    .parameter("queries", queries.size())
                    .parameter("k", k)
                    .parameter("runs", runs)
                    .parameter("model", config.embedding().model())
                    .parameter("chunk_size_tokens", config.chunkSizeTokens())
                    .parameter("qdrant", stack.qdrantDescription());
            Map<String, List<Double>> recalls = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("run", run);
                for (String storeName : List.of("pgvector", "qdrant")) {
                    Map<String, Object> measured = measure(stack, config, storeName, records, queries, report,
                            run == 1);
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
            report.note("Qdrant: " + stack.qdrantDescription()
                    + (stack.qdrantIsStandIn()
                            ? "; its 'approximate' search is exact, so its recall is 1 by construction"
                            + " (set FARO_QDRANT_URL to measure a real Qdrant's HNSW index)" : ""));
            if (records.size() < 10_000) {
                report.note("a small index: HNSW search visits much of a graph of " + records.size()
                        + " vectors, so recall is higher here than at millions (use --data with a larger SQuAD file)");
            }
            stack.versions().forEach(report::version);
            report.finish(options.results(bench), System.out);
            return 0;
        }
    }

    private Map<String, Object> measure(Stack stack, FaroConfig config, String storeName, List<EmbeddedChunk> records,
                                        List<float[]> queries, Report report, boolean recordPlan) {
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
            for (int i = 0; i < queries.size(); i++) {
                perQuery[i] = Recall.at(store.search(queries.get(i), k), exact.search(queries.get(i), k));
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("recall", java.util.Arrays.stream(perQuery).average().orElse(1.0));
            figures.put("min_recall", java.util.Arrays.stream(perQuery).min().orElse(1.0));
            figures.put("queries_below_1", java.util.Arrays.stream(perQuery).filter(r -> r < 1.0).count());
            return figures;
        }
    }
}
