package io.faro.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.Json;
import io.faro.devstack.testing.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of every benchmark, on a tiny SQuAD file and the real parts (embedded broker, PostgreSQL
 * with pgvector, the ONNX model, the Qdrant stand-in): each must finish and write a result whose shape
 * and figures make sense. Never a timing: how fast is the benchmarks' business, not the tests'.
 */
class BenchSmokeIT {

    @TempDir
    static Path dir;

    private static Path data;
    private static Map<String, String> env;

    @BeforeAll
    static void setUp() throws IOException {
        data = dir.resolve("tiny-squad.json");
        try (InputStream in = BenchSmokeIT.class.getResourceAsStream("/tiny-squad.json")) {
            Files.copy(in, data);
        }
        // one PostgreSQL for every benchmark of this JVM; each names its own tables
        env = Map.of(FaroConfig.PG_URL, TestPostgres.url(), FaroConfig.SINK_LINGER_MS, "20",
                FaroConfig.EMBED_LINGER_MS, "20");
    }

    @Test
    void shouldMeasureIngestionOfTheModelThePipelineAndLangChain4j() throws IOException {
        JsonNode result = run("ingest", "--documents", "6", "--sweep-chunks", "4", "--batch-sizes", "2,4",
                "--embed-threads", "1", "--onnx-threads", "0", "--warmup-documents", "2", "--pipeline-warmup-runs", "0");

        assertCommonShape(result, "ingest");
        assertThat(result.at("/parameters/chunks").asInt()).isPositive();
        JsonNode medians = result.get("medians");
        for (String rate : List.of("raw_model_chunks_per_second", "raw_model_shipped_chunks_per_second",
                "pipeline_chunks_per_second", "langchain4j_chunks_per_second")) {
            assertThat(medians.get(rate).asDouble()).as(rate).isPositive();
        }
        assertThat(medians.get("pipeline_vs_raw_model").asDouble())
                .isEqualTo(medians.get("pipeline_chunks_per_second").asDouble()
                        / medians.get("raw_model_chunks_per_second").asDouble());
        // 2 batch sizes for the shipped embedder and for the one tuned setting
        assertThat(result.at("/details/sweep")).hasSize(4);
        JsonNode pipeline = result.at("/runs/0/pipeline");
        assertThat(pipeline.get("chunks").asLong()).isEqualTo(result.at("/parameters/chunks").asLong());
        assertThat(pipeline.get("pgvector_complete_seconds").asDouble()).isPositive();
        assertThat(pipeline.get("qdrant_complete_seconds").asDouble()).isPositive();
        assertThat(result.at("/runs/0/langchain4j/chunks").asLong()).isPositive();
        assertThat(result.get("targets")).extracting(target -> target.get("name").asText())
                .containsExactly("pipeline / raw model", "pipeline / LangChain4j ingestor");
    }

    @Test
    void shouldMeasureGatewayAndDirectSearchLatency() throws IOException {
        int saturating = 2 * Runtime.getRuntime().availableProcessors();
        JsonNode result = run("query", "--documents", "6", "--requests", "12", "--warmup", "3", "--concurrency",
                String.valueOf(saturating));

        assertCommonShape(result, "query");
        JsonNode run = result.at("/runs/0");
        for (String path : List.of("gateway", "direct_embed_and_search", "direct_search_only", "gateway_server_total",
                "gateway_hybrid", "hybrid_search_only")) {
            JsonNode latency = run.get(path);
            assertThat(latency.get("p50_ms").asDouble()).as(path).isPositive();
            assertThat(latency.get("p99_ms").asDouble()).as(path).isGreaterThanOrEqualTo(latency.get("p50_ms").asDouble());
        }
        assertThat(run.get("added_p50_ms").asDouble()).isEqualTo(
                run.at("/gateway/p50_ms").asDouble() - run.at("/direct_embed_and_search/p50_ms").asDouble());
        assertThat(run.get("hybrid_added_p50_ms").asDouble()).isEqualTo(
                run.at("/gateway_hybrid/p50_ms").asDouble() - run.at("/gateway/p50_ms").asDouble());
        assertThat(result.at("/parameters/store").asText()).isEqualTo("pgvector");
        // two callers a core saturate the machine: the throughput target applies, the one-caller latency ones do not
        assertThat(result.get("targets")).singleElement().satisfies(target -> {
            assertThat(target.get("name").asText()).contains("at saturation");
            assertThat(target.get("measured").asDouble()).isCloseTo(result.at("/medians/gateway_requests_per_second")
                    .asDouble() / result.at("/medians/direct_requests_per_second").asDouble(), within(1e-9));
        });
    }

    @Test
    void shouldMeasureRecallOfBothStoresAgainstExactSearch() throws IOException {
        JsonNode result = run("recall");

        assertCommonShape(result, "recall");
        for (String store : List.of("pgvector", "qdrant")) {
            double recall = result.at("/medians/" + store + "_recall_at_10").asDouble();
            assertThat(recall).as(store).isBetween(0.0, 1.0);
            assertThat(result.at("/runs/0/" + store + "/min_recall").asDouble()).isBetween(0.0, recall);
        }
        // exact search really scans: no index in its plan
        List<String> plan = new ArrayList<>();
        result.at("/details/pgvector_exact_plan").forEach(line -> plan.add(line.asText()));
        assertThat(plan).isNotEmpty().noneMatch(line -> line.contains("Index Scan"));
    }

    @Test
    void shouldMeasureRecallOnChunksOfTheJdksOwnDocumentationAtEachEfSearch() throws IOException {
        JsonNode result = run("recall", "--corpus", "javadoc", "--chunks", "300", "--queries", "10",
                "--ef-search", "10,400", "--hnsw", "8:16");

        assertThat(result.at("/parameters/data").asText()).endsWith("src.zip");
        assertThat(result.at("/parameters/vectors").asInt()).isEqualTo(300);
        assertThat(result.at("/parameters/queries").asInt()).isEqualTo(10);
        assertThat(result.at("/medians/pgvector_recall_at_10").asDouble()).isBetween(0.0, 1.0);
        // a walk keeping more candidates than the table holds finds the exact top 10
        assertThat(result.at("/medians/pgvector_recall_at_10_ef_search_400").asDouble()).isGreaterThan(0.95);
        assertThat(result.at("/runs/0/pgvector/ef_search/ef_search_10/p50_ms").asDouble()).isPositive();
        // the same table's index built again with other graph settings, measured at each ef_search
        assertThat(result.at("/parameters/hnsw").asText()).isEqualTo("m = 16, ef_construction = 64");
        assertThat(result.at("/runs/0/pgvector/hnsw/m_8_ef_construction_16/build_seconds").asDouble()).isPositive();
        assertThat(result.at("/runs/0/pgvector/hnsw/m_8_ef_construction_16/ef_search/ef_search_10/p50_ms").asDouble())
                .isPositive();
        assertThat(result.at("/medians/pgvector_recall_at_10_m_8_ef_construction_16_ef_search_400").asDouble())
                .isGreaterThan(0.9);
        // the questions answered worst: each missed a neighbour, so its 10th hit is no nearer than the exact 10th
        JsonNode worst = result.at("/runs/0/pgvector/worst_queries");
        assertThat(worst.isArray()).isTrue();
        assertThat(worst.size()).isLessThanOrEqualTo(5);
        worst.forEach(query -> {
            assertThat(query.get("query").asText()).isNotBlank();
            assertThat(query.get("recall").asDouble()).isLessThan(1.0);
            assertThat(query.get("found_kth_score").asDouble())
                    .isLessThanOrEqualTo(query.get("exact_kth_score").asDouble() + 1e-6);
        });
    }

    @Test
    void shouldMeasureFilteredRecallForEachTenantOnBothPaths() throws IOException {
        JsonNode result = run("filtered-recall", "--vectors", "400", "--shares", "0.05,0.2");

        assertCommonShape(result, "filtered-recall");
        for (String tenant : List.of("share-5_0pct", "share-20_0pct")) {
            for (String path : List.of("faro", "hnsw_iterative_only")) {
                JsonNode measured = result.at("/runs/0/" + tenant + "~1" + path);
                assertThat(measured.get("recall").asDouble()).as(tenant + " " + path).isBetween(0.0, 1.0);
            }
            assertThat(result.at("/runs/0/" + tenant + "~1faro_plan").asText()).isNotBlank();
        }
        assertThat(result.at("/runs/0/unscoped/recall").asDouble()).isBetween(0.0, 1.0);
        assertThat(result.get("targets")).hasSize(1);
    }

    @Test
    void shouldMeasureFilteredRecallOnChunksOfTheJdksOwnDocumentation() throws IOException {
        JsonNode result = run("filtered-recall", "--corpus", "javadoc", "--chunks", "300", "--queries", "10",
                "--shares", "0.2");

        assertThat(result.at("/parameters/data").asText()).endsWith("src.zip");
        assertThat(result.at("/parameters/corpus").asText()).isEqualTo("javadoc");
        // each real chunk indexed once, none copied
        assertThat(result.at("/parameters/real_vectors").asInt()).isEqualTo(300);
        assertThat(result.at("/parameters/vectors").asInt()).isEqualTo(300);
        assertThat(result.at("/parameters/queries").asInt()).isEqualTo(10);
        assertThat(result.at("/parameters/hnsw").asText()).isEqualTo("m = 16, ef_construction = 64");
        assertThat(result.at("/parameters/tenant_vectors/share-20_0pct").asInt()).isBetween(30, 90);
        assertThat(result.at("/runs/0/share-20_0pct~1faro/recall").asDouble()).isBetween(0.0, 1.0);
        assertThat(result.at("/runs/0/unscoped/recall").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void shouldEvaluateAnswerHitsOfEachSearchModeAndOfExactSearch() throws IOException {
        JsonNode result = runWithoutRuns("eval", data.toString());

        assertCommonShape(result, "eval");
        assertThat(result.at("/parameters/questions").asInt()).isEqualTo(7); // the answerable ones
        for (String path : List.of("dense", "keyword", "hybrid", "exact_dense")) {
            JsonNode metrics = result.at("/medians/" + path);
            assertThat(metrics.isObject()).as(path).isTrue();
            double hit1 = metrics.get("hit_at_1").asDouble();
            double hit5 = metrics.get("hit_at_5").asDouble();
            double hit10 = metrics.get("hit_at_10").asDouble();
            assertThat(hit1).as(path).isBetween(0.0, 1.0);
            assertThat(hit5).as(path).isBetween(hit1, 1.0);
            assertThat(hit10).as(path).isBetween(hit5, 1.0);
            assertThat(metrics.get("mrr_at_10").asDouble()).as(path).isBetween(hit10 / 10, hit10);
        }
    }

    @Test
    void shouldCompareChunkingsInEachSearchModeWithAndWithoutTheContextLine() throws IOException {
        JsonNode result = runWithoutRuns("chunking", data.toString(), "--sizes", "64", "--overlaps", "0,16",
                "--fusions", "2:1:1");

        assertThat(result.at("/parameters/questions").asInt()).isEqualTo(7);
        JsonNode run = result.get("runs").get(0);
        for (String chunking : List.of("64/0", "64/0 +context", "64/16", "64/16 +context")) {
            assertThat(run.get(chunking).get("chunks").asInt()).as(chunking).isPositive();
            for (String mode : List.of("dense", "keyword", "hybrid")) {
                double hit1 = run.get(chunking).get(mode).get("hit_at_1").asDouble();
                assertThat(run.get(chunking).get(mode).get("hit_at_5").asDouble()).as(chunking + " " + mode)
                        .isBetween(hit1, 1.0);
            }
        }
        // overlap repeats text, so the same article needs more chunks
        assertThat(run.at("/64~116/chunks").asInt()).isGreaterThanOrEqualTo(run.at("/64~10/chunks").asInt());
    }

    @Test
    void shouldMeasureRebuildAgainstRawUpserts() throws IOException {
        JsonNode result = run("rebuild", "--records", "60");

        assertCommonShape(result, "rebuild");
        for (String store : List.of("pgvector", "qdrant")) {
            assertThat(result.at("/medians/" + store + "_raw_upserts_per_second").asDouble()).as(store).isPositive();
            assertThat(result.at("/medians/" + store + "_rebuild_records_per_second").asDouble()).as(store).isPositive();
            assertThat(result.at("/runs/0/" + store + "/rebuild/records").asLong()).as(store).isEqualTo(60);
        }
    }

    @Test
    void shouldMeasureThePipelineWithTheModelTakenOutAgainstRawPgvectorWrites() throws IOException {
        JsonNode result = run("ceiling", "--documents", "40", "--warmup-runs", "0");

        assertCommonShape(result, "ceiling");
        long chunks = result.at("/parameters/chunks").asLong();
        assertThat(chunks).isGreaterThanOrEqualTo(40);
        for (String rate : List.of("raw_pgvector", "pipeline", "sink")) {
            assertThat(result.at("/medians/" + rate + "_chunks_per_second").asDouble()).as(rate).isPositive();
        }
        assertThat(result.at("/medians/pipeline_vs_raw").asDouble()).isPositive();
        assertThat(result.at("/runs/0/pipeline_sink_write_seconds").asDouble()).isPositive();
        assertThat(result.at("/runs/0/sink_write_seconds").asDouble()).isPositive();
    }

    @Test
    void shouldMeasureAGeneratedAnswerAgainstTheLlmStandInsOwnLatency() throws IOException {
        JsonNode result = run("answer", "--documents", "8", "--requests", "20", "--warmup", "4",
                "--llm-delay-ms", "20");

        assertCommonShape(result, "answer");
        // the stand-in alone is timed by a plain client: at least its configured delay, never less
        assertThat(result.at("/medians/llm_alone_p50_ms").asDouble()).isGreaterThanOrEqualTo(20.0);
        assertThat(result.at("/medians/query_p50_ms").asDouble())
                .isGreaterThan(result.at("/medians/llm_alone_p50_ms").asDouble());
        assertThat(result.at("/medians/added_p50_ms").asDouble()).isEqualTo(result.at("/medians/query_p50_ms").asDouble()
                - result.at("/medians/search_p50_ms").asDouble() - result.at("/medians/llm_alone_p50_ms").asDouble(),
                within(1e-9));
    }

    @Test
    void shouldReconcileAndRebuildEachSizeInAChildJvmWithTheHeapLimit() throws IOException {
        JsonNode result = runWithoutRuns("scale", "--sizes", "100,200", "--fill", "rebuild", "--searches", "3",
                "--recall-queries", "5", "--ef-search", "10,400");

        assertThat(result.get("benchmark").asText()).isEqualTo("scale");
        assertThat(result.at("/machine/cores").asInt()).isPositive();
        assertThat(result.at("/parameters/data").asText()).endsWith("tiny-squad.json");
        assertThat(result.at("/parameters/vectors").asText()).isEqualTo("clusters");
        assertThat(result.get("runs")).hasSize(2);
        assertThat(result.at("/medians/reconcile_time_vs_linear").asDouble()).isPositive();
        for (int run = 0; run < 2; run++) {
            for (String step : List.of("reconcile", "rebuild_pgvector", "rebuild_qdrant")) {
                JsonNode figures = result.at("/runs/" + run + "/" + step);
                assertThat(figures.get("exit_code").asInt()).as(step).isZero();
                assertThat(figures.get("out_of_memory").asBoolean()).as(step).isFalse();
                assertThat(figures.get("heap_limit_mb").asDouble()).as(step).isBetween(400.0, 540.0);
                assertThat(figures.get("max_heap_after_gc_mb").asDouble()).as(step).isPositive();
            }
        }
        assertThat(result.at("/runs/1/live_chunks").asLong()).isBetween(180L, 200L);
        // the rebuilds filled the stores (the benchmark checked their counts): pgvector's search is timed
        assertThat(result.at("/runs/1/search/pgvector/p50_ms").asDouble()).isPositive();
        // recall against exact search: a walk keeping more candidates than the table holds finds the exact top 10
        assertThat(result.at("/runs/1/recall_pgvector/ef_search_400/recall_at_10").asDouble()).isGreaterThan(0.95);
        assertThat(result.at("/runs/1/recall_pgvector/ef_search_10/p50_ms").asDouble()).isPositive();
    }

    private static void assertCommonShape(JsonNode result, String benchmark) {
        assertThat(result.get("benchmark").asText()).isEqualTo(benchmark);
        assertThat(result.at("/machine/cores").asInt()).isPositive();
        assertThat(result.at("/machine/memory_bytes").asLong()).isPositive();
        assertThat(result.at("/machine/jdk_version").asText()).isNotBlank();
        assertThat(result.at("/machine/os").asText()).isNotBlank();
        assertThat(result.at("/versions/faro").asText()).isNotBlank();
        assertThat(result.at("/versions/postgresql").asText()).isNotBlank();
        assertThat(result.at("/versions/pgvector").asText()).matches("\\d+\\.\\d+.*");
        assertThat(result.at("/parameters/data").asText()).endsWith("tiny-squad.json");
        assertThat(result.get("runs")).hasSize(1);
        assertThat(result.get("medians").isEmpty()).isFalse();
        result.get("targets").forEach(target -> {
            assertThat(target.get("name").asText()).isNotBlank();
            assertThat(target.get("met").asBoolean()).isEqualTo(target.get("at_most").asBoolean()
                    ? target.get("measured").asDouble() <= target.get("threshold").asDouble()
                    : target.get("measured").asDouble() >= target.get("threshold").asDouble());
        });
    }

    private static JsonNode run(String benchmark, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--runs", "1"));
        return runWithoutRuns(benchmark, args.toArray(String[]::new));
    }

    /** Runs the benchmark as {@code faro bench} would; returns the one result it wrote. */
    private static JsonNode runWithoutRuns(String benchmark, String... options) throws IOException {
        Path results = Files.createTempDirectory(dir, "results-" + benchmark + "-");
        List<String> args = new ArrayList<>(List.of(benchmark, "--data", data.toString(), "--results",
                results.toString()));
        args.addAll(List.of(options));
        int exit = BenchCommand.commandLine(new BenchCommand(env, Path.of("..")))
                .execute(args.toArray(String[]::new));

        assertThat(exit).as("faro bench %s exit code", benchmark).isZero();
        try (Stream<Path> files = Files.list(results)) {
            List<Path> written = files.toList();
            assertThat(written).hasSize(1);
            assertThat(written.getFirst().getFileName().toString()).matches(benchmark + "-\\d{8}T\\d{6}Z\\.json");
            return Json.mapper().readTree(Files.readString(written.getFirst()));
        }
    }
}
