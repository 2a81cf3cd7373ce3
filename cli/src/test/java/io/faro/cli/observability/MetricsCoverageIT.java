package io.faro.cli.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.cli.observability.ObservabilityFiles.Expression;
import io.faro.cli.up.LocalFaro;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.Json;
import io.faro.devstack.testing.TestPostgres;
import io.faro.embedders.testing.EmbeddingsStandIn;
import io.faro.embedders.testing.RerankStandIn;
import io.faro.gateway.answer.OpenAiStandInAccess;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import io.faro.core.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No dead panels: FARO all in one process (both stores, generated answers and embeddings from OpenAI stand-ins, a
 * reranker stand-in), fed documents and queries, exports every metric that a dashboard or an alert rule reads, with
 * the label values they select.
 */
class MetricsCoverageIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Selectors that match only when something fails; their panels fall back to 0 with {@code or}. */
    private static final List<String> ONLY_ON_FAILURE = List.of("status=~\"5..\"");

    @TempDir
    Path tmp;

    private static QdrantStandIn qdrant;
    private static OpenAiStandInAccess llm;
    private static EmbeddingsStandIn embeddings;
    private static RerankStandIn reranker;
    private static LocalFaro faro;

    @BeforeAll
    static void start() throws Exception {
        qdrant = QdrantStandIn.start();
        // the LLM metrics are registered only when FARO_LLM_BASE_URL is set
        llm = new OpenAiStandInAccess();
        llm.answers("Lighthouses guide ships [1].");
        // the hosted embedding model's metrics are registered only with FARO_EMBEDDING_PROVIDER=openai
        embeddings = EmbeddingsStandIn.start(64);
        // the reranker's metrics are registered only when a reranker is configured
        reranker = RerankStandIn.start(RerankStandIn.Format.TEI);
        faro = LocalFaro.start(FaroConfig.from(Env.of(Map.ofEntries(
                Map.entry(FaroConfig.HOME, TestPostgres.tempDirOthersCanEnter("faro-metrics-").toString()),
                Map.entry(FaroConfig.KAFKA_PORT, Integer.toString(TestPostgres.freePort())),
                Map.entry(FaroConfig.PG_PORT, Integer.toString(TestPostgres.freePort())),
                Map.entry(FaroConfig.HTTP_PORT, "0"),
                Map.entry(FaroConfig.QDRANT_URL, qdrant.url()),
                Map.entry(FaroConfig.LLM_BASE_URL, llm.baseUrl()),
                Map.entry(FaroConfig.LLM_MODEL, "gpt-test"),
                Map.entry(FaroConfig.EMBEDDING_PROVIDER, "openai"),
                Map.entry(FaroConfig.EMBEDDING_BASE_URL, embeddings.baseUrl()),
                Map.entry(FaroConfig.EMBEDDING_MODEL, "text-embedding-3-small"),
                Map.entry(FaroConfig.EMBEDDING_DIMENSION, "64"),
                Map.entry(FaroConfig.EMBED_REQUESTS_PER_MINUTE, "6000"),
                Map.entry(FaroConfig.RERANK_URL, reranker.url()),
                Map.entry(FaroConfig.RERANK_FORMAT, "tei"),
                Map.entry(FaroConfig.RECONCILE_INTERVAL_S, "2"),
                Map.entry(FaroConfig.TOPIC_PARTITIONS, "2")))));
        try {
            feed();
        } catch (Exception e) {
            throw new AssertionError("feeding FARO failed", e);
        }
    }

    /** Documents, one of them malformed, and traffic on every route. */
    private static void feed() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, faro.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (String id : List.of("lighthouse", "glacier", "sourdough")) {
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), id, Json.mapper().writeValueAsString(
                        Map.of("id", id, "text", "A note about the " + id + ", and what it is good for.")))).get();
            }
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), "broken", "{\"id\": ")).get();
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(post("/v1/search", "{\"query\": \"glacier\", \"top_k\": 5}").body())
                        .contains("lighthouse", "glacier", "sourdough"));
        // a generated answer, so the LLM latency histogram and token counters have data
        Response answer = post("/v1/query", "{\"question\": \"What guides ships?\", \"top_k\": 3}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(answer.body()).get("extractive").asBoolean()).as(answer.body()).isFalse();
        assertThat(llm.requests()).isEqualTo(1);
        post("/v1/search", "{\"query\": ");
        get("/v1/documents/glacier");
        get("/health/ready");
    }

    @AfterAll
    static void stop() {
        if (faro != null) {
            faro.close();
        }
        if (qdrant != null) {
            qdrant.close();
        }
        if (llm != null) {
            llm.close();
        }
        if (embeddings != null) {
            embeddings.close();
        }
        if (reranker != null) {
            reranker.close();
        }
    }

    @Test
    void shouldExportEveryMetricThatADashboardOrAlertRuleReads() {
        // given FARO fed with documents and requests; all in one process, the gateway's port serves the metrics
        assertThat(faro.metricsUrl()).isEqualTo(faro.gatewayUrl() + "/metrics");

        // when every background measurement has had its turn (lag, store sizes, reconciliation, shadow)
        List<Expression> expressions = ObservabilityFiles.expressions();
        assertThat(expressions).hasSizeGreaterThan(50);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Scrape scrape = Scrape.parse(get("/metrics").body());

            // then every metric name that is read is exported
            for (Expression expression : expressions) {
                var names = expression.variableQuery() ? PromQl.variableMetricNames(expression.promql())
                        : PromQl.metricNames(expression.promql());
                assertThat(names).as(expression.where()).isNotEmpty();
                assertThat(names).as("%s: %s", expression.where(), expression.promql()).allMatch(scrape::has);
            }
            // and with the label values the queries select
            for (Expression expression : expressions) {
                for (PromQl.Selector selector : PromQl.selectors(expression.promql())) {
                    if (ONLY_ON_FAILURE.stream().noneMatch(expression.promql()::contains)) {
                        assertThat(scrape.matches(selector)).as("%s: %s", expression.where(), selector).isTrue();
                    }
                }
            }
        });
    }

    @Test
    void shouldAnswerEveryPanelFromARealPrometheusScrapingFaroWithTheShippedConfiguration() throws Exception {
        Optional<Path> binary = PrometheusServer.find();
        assumeTrue(binary.isPresent(), "prometheus is not on the PATH: install Debian's 'prometheus' package "
                + "(scripts/install-test-deps.sh does)");
        String gateway = URI.create(faro.gatewayUrl()).getAuthority();
        try (PrometheusServer prometheus = PrometheusServer.start(binary.get(), tmp, gateway, TestPostgres.freePort())) {
            // the alert rules load, and FARO is scraped long enough for rates over 10 s
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                JsonNode rules = prometheus.api("/api/v1/rules").get("groups").get(0).get("rules");
                assertThat(rules).hasSize(ObservabilityFiles.rulesList().size());
                assertThat(prometheus.query("count_over_time(up{job=\"faro\"}[1m])").get("result").get(0)
                        .get("value").get(1).asDouble()).isGreaterThanOrEqualTo(12);
            });
            for (Expression expression : ObservabilityFiles.expressions()) {
                if (expression.variableQuery() || expression.where().startsWith("faro-alerts")) {
                    continue;
                }
                // as Grafana sends it with "All" selected
                String promql = expression.promql().replace("$__rate_interval", "10s").replace("$__range", "1m")
                        .replace("$namespace", ".*").replace("$instance", ".*");
                JsonNode data = prometheus.query(promql);
                assertThat(data.get("result")).as("no data for %s: %s", expression.where(), promql).isNotEmpty();
            }
            // the variables offer the scraped instance, under the namespace the example configuration gives it
            assertThat(prometheus.api("/api/v1/label/namespace/values?match[]=jvm_info")).extracting(JsonNode::asText)
                    .containsExactly("local");
            assertThat(prometheus.api("/api/v1/label/instance/values?match[]=jvm_info")).extracting(JsonNode::asText)
                    .containsExactly(gateway);
        }
    }

    @Test
    void shouldFallBackToZeroWhereASelectorMatchesOnlyOnFailure() {
        for (Expression expression : ObservabilityFiles.expressions()) {
            if (ONLY_ON_FAILURE.stream().anyMatch(expression.promql()::contains) && !expression.where().startsWith(
                    ObservabilityFiles.RULES.getFileName().toString())) {
                assertThat(expression.promql()).as(expression.where()).contains(" or ").contains("* 0");
            }
        }
    }

    record Response(int status, String body) {
    }

    private static Response post(String path, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(faro.gatewayUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    private static Response get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(faro.gatewayUrl() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }
}
