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
import io.faro.bench.store.PgExactSearch;
import io.faro.bench.store.Postgres;
import io.faro.core.access.AccessScope;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.VectorStore;
import io.faro.embedders.onnx.OnnxEmbedder;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 * {@code faro bench filtered-recall}: recall@k on pgvector for a caller whose tenant holds a small share of the
 * chunks, against exact search among that tenant's rows. The scope is part of FARO's nearest-neighbour query;
 * an HNSW scan that stopped at its first candidates would find few of the tenant's rows, so this measures
 * whether {@code top_k} still comes back, and how near the exact answer it is. Each configuration is measured
 * twice: with FARO's indexes (the planner may answer a small tenant exactly from the {@code tenant} btree), and
 * with the btree dropped, so that the HNSW index's iterative scan alone answers. The vectors are the data file's
 * paragraphs' with jitter, or ({@code --corpus javadoc}) distinct chunks of the JDK's documentation comments.
 */
@Command(name = "filtered-recall", mixinStandardHelpOptions = true,
        description = "recall@k on pgvector for a tenant holding a small share of the chunks, against exact search.")
public final class FilteredRecallBenchmark implements Callable<Integer> {

    static final double TARGET_RECALL = 0.95;
    private static final int UPSERT_BATCH = 256;

    @ParentCommand
    BenchCommand bench;

    @Mixin
    BenchOptions options;

    @Mixin
    Runs repeat;

    @Mixin
    JavadocCorpus corpus;

    @Option(names = "--vectors", defaultValue = "50000", description = "With --corpus squad: chunks in the table, each"
            + " a paragraph's vector jittered (default: ${DEFAULT-VALUE}).")
    int vectors;

    @Option(names = "--shares", defaultValue = "0.01,0.05,0.2", split = ",",
            description = "Shares of the chunks each small tenant holds, one tenant per share; the first is the one"
                    + " the target applies to (default: ${DEFAULT-VALUE}).")
    List<Double> shares;

    @Option(names = "--noise", defaultValue = "0.02", description = "With --corpus squad: standard deviation, per"
            + " dimension, of the jitter that makes distinct vectors from the file's paragraphs (default:"
            + " ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--k", defaultValue = "10", description = "Hits compared per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Override
    public Integer call() {
        Report report = new Report("filtered-recall", bench.repositoryRoot());
        int runs = repeat.count();
        try (Stack stack = Stack.start(bench.env(), false)) {
            FaroConfig config = stack.baseConfig();
            Embedder embedder = OnnxEmbedder.create(config.embedding().localModel());
            Map<String, Double> tenants = new LinkedHashMap<>();
            shares.forEach(share -> tenants.put(tenantName(share), share));
            boolean javadoc = corpus.source() == JavadocCorpus.Source.JAVADOC;
            List<EmbeddedChunk> real;
            List<String> questions;
            TenantCorpus tenantCorpus;
            if (javadoc) {
                JavadocCorpus.Texts texts = corpus.read(config, embedder);
                real = texts.records();
                questions = texts.questions();
                tenantCorpus = TenantCorpus.of(real, real.size(), tenants, 0, 42L);
                report.parameter("data", texts.sources().toString());
            } else {
                Squad squad = Squad.read(options.data(bench));
                real = EmbeddedCorpus.of(config, embedder, Corpus.paragraphs(squad, squad.paragraphs().size(),
                        "filtered"));
                questions = squad.questions().stream().map(Squad.Question::text).toList();
                tenantCorpus = TenantCorpus.of(real, vectors, tenants, noise, 42L);
                report.parameter("data", options.data(bench).toString()).parameter("noise", noise);
            }
            List<float[]> queries = questions.stream().map(embedder::embedQuery).toList();
            progress("%d vectors, per tenant %s, %d queries", tenantCorpus.records().size(),
                    tenantCorpus.tenantCounts(), queries.size());
            report.parameter("corpus", corpus.source().name().toLowerCase(java.util.Locale.ROOT))
                    .parameter("real_vectors", real.size())
                    .parameter("vectors", tenantCorpus.records().size())
                    .parameter("tenant_vectors", tenantCorpus.tenantCounts())
                    .parameter("shares", shares)
                    .parameter("queries", queries.size())
                    .parameter("k", k)
                    .parameter("runs", runs)
                    .parameter("model", config.embedding().model())
                    .parameter("chunk_size_tokens", config.chunkSizeTokens())
                    .parameter("pg_ef_search", config.pg().efSearch())
                    .parameter("hnsw", config.pg().hnsw().storageParameters());
            Map<String, List<Double>> recalls = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                Map<String, Object> figures = measure(stack, tenantCorpus, queries);
                figures.forEach((path, measured) -> recalls.computeIfAbsent(path, p -> new ArrayList<>())
                        .add((Double) ((Map<?, ?>) measured).get("recall")));
                figures.putAll(planned);
                Map<String, Object> runFigures = new LinkedHashMap<>();
                runFigures.put("run", run);
                runFigures.putAll(figures);
                report.run(runFigures);
                progress("run %d: %s", run, figures);
            }
            report.line("%d vectors, tenants %s, %d queries, median of %d index builds:",
                    tenantCorpus.records().size(), tenantCorpus.tenantCounts(), queries.size(), runs);
            String targeted = tenantName(shares.getFirst()) + "/faro";
            recalls.forEach((path, values) -> {
                double median = Stats.median(values);
                report.median(path.replace('/', '_') + "_recall_at_" + k, median)
                        .line("  %-28s recall@%d %.4f", path, k, median);
                if (path.equals(targeted)) {
                    report.target(Target.atLeast("pgvector filtered recall@" + k + " for a tenant holding "
                            + shares.getFirst() * 100 + " % (FARO's query)", median, TARGET_RECALL));
                }
            });
            report.note("vectors: " + (javadoc
                    ? "distinct chunks of the JDK's documentation comments embedded by FARO's model"
                    : "the file's paragraphs embedded by FARO's model, each copied with Gaussian jitter (normalised) so"
                    + " that every chunk is distinct")
                    + "; each tenant's chunks are drawn at random across them, the hardest case for a filtered"
                    + " graph walk");
            stack.versions().forEach(report::version);
            report.finish(options.results(bench), System.out);
            return 0;
        }
    }

    /** The plan FARO's query took for each tenant, in the last run. */
    private final Map<String, Object> planned = new LinkedHashMap<>();

    /**
     * Recall of FARO's scoped search for each tenant, with FARO's indexes (and which index the planner chose),
     * then with the tenant btree dropped, so that the HNSW index's iterative scan alone answers.
     */
    private Map<String, Object> measure(Stack stack, TenantCorpus tenantCorpus, List<float[]> queries) {
        String name = stack.newName();
        Map<String, Object> figures = new LinkedHashMap<>();
        try (VectorStore store = stack.openStore("pgvector", name)) {
            List<EmbeddedChunk> records = tenantCorpus.records();
            for (int from = 0; from < records.size(); from += UPSERT_BATCH) {
                store.upsert(records.subList(from, Math.min(from + UPSERT_BATCH, records.size())));
            }
            execute(stack.pgUrl(), "ANALYZE " + name);
            // the same index without a scope: how much of what follows is the filter's, and how much the index's
            try (PgExactSearch exact = new PgExactSearch(stack.pgUrl(), name)) {
                double[] perQuery = new double[queries.size()];
                for (int i = 0; i < queries.size(); i++) {
                    perQuery[i] = Recall.at(store.search(queries.get(i), k), exact.search(queries.get(i), k));
                }
                figures.put("unscoped", Map.of("recall", java.util.Arrays.stream(perQuery).average().orElse(1.0)));
            }
            for (String tenant : tenantCorpus.tenantCounts().keySet()) {
                try (PgExactSearch exact = new PgExactSearch(stack.pgUrl(), name, Optional.of(tenant))) {
                    figures.put(tenant + "/faro", recall(store, exact, tenant, queries));
                    planned.put(tenant + "/faro_plan", indexUsed(stack.pgUrl(), name, tenant, queries.getFirst()));
                }
            }
            execute(stack.pgUrl(), "DROP INDEX " + name + "_tenant_idx");
            for (String tenant : tenantCorpus.tenantCounts().keySet()) {
                try (PgExactSearch exact = new PgExactSearch(stack.pgUrl(), name, Optional.of(tenant))) {
                    figures.put(tenant + "/hnsw_iterative_only", recall(store, exact, tenant, queries));
                }
            }
        }
        return figures;
    }

    /** Which index the planner takes for FARO's scoped query shape (the condition as PgFilter writes it). */
    private String indexUsed(String url, String table, String tenant, float[] vector) {
        String sql = "EXPLAIN SELECT chunk_id FROM " + table + " WHERE metadata @> '{}'::jsonb AND tenant = ?"
                + " AND (acl = '{}' OR acl && '{}'::text[]) ORDER BY embedding <=> ?::vector LIMIT " + k;
        try (Connection conn = Postgres.connect(url); var explain = conn.prepareStatement(sql)) {
            explain.setString(1, tenant);
            explain.setString(2, new com.pgvector.PGvector(vector).toString());
            StringBuilder plan = new StringBuilder();
            try (var rs = explain.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.indexOf("_embedding_idx") >= 0 ? "hnsw" : plan.indexOf("_tenant_idx") >= 0 ? "tenant btree"
                    : "other: " + plan;
        } catch (SQLException e) {
            throw new IllegalStateException("EXPLAIN failed: " + e.getMessage(), e);
        }
    }

    private static String tenantName(double share) {
        return "share-" + String.format(java.util.Locale.ROOT, "%.1f", share * 100).replace('.', '_') + "pct";
    }

    private Map<String, Object> recall(VectorStore store, PgExactSearch exact, String tenant, List<float[]> queries) {
        MetadataFilter scope = MetadataFilter.NONE.within(AccessScope.of(tenant, Set.of()));
        double[] perQuery = new double[queries.size()];
        long shortAnswers = 0;
        List<Double> millis = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            long start = System.nanoTime();
            List<SearchHit> hits = store.search(queries.get(i), k, scope);
            millis.add((System.nanoTime() - start) / 1e6);
            if (hits.stream().anyMatch(hit -> !tenant.equals(hit.tenant()))) {
                throw new IllegalStateException("a scoped search returned another tenant's chunk");
            }
            shortAnswers += hits.size() < k ? 1 : 0;
            perQuery[i] = Recall.at(hits, exact.search(queries.get(i), k));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("recall", java.util.Arrays.stream(perQuery).average().orElse(1.0));
        figures.put("min_recall", java.util.Arrays.stream(perQuery).min().orElse(1.0));
        figures.put("queries_with_fewer_than_k", shortAnswers);
        figures.put("search_p50_ms", Stats.percentile(millis.stream().mapToDouble(Double::doubleValue).toArray(), 50));
        return figures;
    }

    private static void execute(String url, String sql) {
        try (Connection conn = Postgres.connect(url); Statement statement = conn.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
