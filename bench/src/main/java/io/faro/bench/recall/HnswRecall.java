package io.faro.bench.recall;

import io.faro.bench.report.Stats;
import io.faro.bench.store.ExactSearch;
import io.faro.bench.store.PgExactSearch;
import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * pgvector's recall@10 against exact search on a full table at each {@code hnsw.ef_search} asked for (the
 * candidates the HNSW walk keeps; FARO's dense search keeps {@code FARO_PG_EF_SEARCH}), with the latency of
 * the index search at that setting: which settings reach a recall, and what they cost. The latency is one
 * caller's, over JDBC, including the {@code SET LOCAL} and the commit around each query.
 */
public final class HnswRecall {

    public static final int K = 10;
    private static final int WARMUP = 10;

    private HnswRecall() {
    }

    /** Opens the table, finds each query's exact top {@link #K}, then measures at each setting. */
    public static Map<String, Map<String, Object>> measure(String pgUrl, String table, List<float[]> queries,
                                              List<Integer> efSearch) {
        try (PgExactSearch search = new PgExactSearch(pgUrl, table)) {
            return measure(search, queries, queries.stream().map(query -> search.search(query, K)).toList(), efSearch);
        }
    }

    /** The same on an open table, against each query's exact top {@link #K} found beforehand. */
    public static Map<String, Map<String, Object>> measure(PgExactSearch search, List<float[]> queries,
                                              List<List<ExactSearch.Hit>> exact, List<Integer> efSearch) {
        Map<String, Map<String, Object>> byEf = new LinkedHashMap<>();
        for (int ef : efSearch) {
            queries.stream().limit(WARMUP).forEach(query -> search.searchIndexed(query, K, ef));
            double[] recall = new double[queries.size()];
            double[] millis = new double[queries.size()];
            for (int i = 0; i < queries.size(); i++) {
                long start = System.nanoTime();
                List<ExactSearch.Hit> hits = search.searchIndexed(queries.get(i), K, ef);
                millis[i] = (System.nanoTime() - start) / 1e6;
                recall[i] = Recall.of(hits, exact.get(i));
            }
            byEf.put(key(ef), Map.of("recall_at_10", Arrays.stream(recall).average().orElse(1),
                    "min_recall_at_10", Arrays.stream(recall).min().orElse(1),
                    "p50_ms", Stats.percentile(millis, 50), "p95_ms", Stats.percentile(millis, 95)));
        }
        return byEf;
    }

    public static String key(int efSearch) {
        return "ef_search_" + efSearch;
    }

    public static String key(FaroConfig.HnswBuild setting) {
        return "m_" + setting.m() + "_ef_construction_" + setting.efConstruction();
    }

    /** {@code m:ef_construction}, as {@code --hnsw} takes it. */
    public static final class Settings implements CommandLine.ITypeConverter<FaroConfig.HnswBuild> {
        @Override
        public FaroConfig.HnswBuild convert(String value) {
            String[] parts = value.split(":");
            if (parts.length != 2) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not m:ef_construction, e.g. 16:64");
            }
            try {
                return new FaroConfig.HnswBuild(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            } catch (NumberFormatException | ConfigException e) {
                throw new CommandLine.TypeConversionException("'" + value + "': " + e.getMessage());
            }
        }
    }
}
