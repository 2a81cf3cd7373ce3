package io.faro.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.testing.InMemoryVectorStore;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.json.Json;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.embed.Embedder;
import io.faro.gateway.answer.ExtractiveAnswerer;
import io.faro.gateway.health.ReadinessCheck;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Starts the real gateway on a free port, over a deterministic hashing embedder and an in-memory
 * cosine store, and talks to it over HTTP the way a client would.
 */
class GatewayServerTest {

    private static final String KAFKA_REBALANCE = "Kafka consumers rebalance partitions when a member joins the group";
    private static final String POSTGRES_VACUUM = "Postgres vacuum reclaims storage from dead tuples";
    private static final int CORPUS_CHUNKS = 8;

    private static HttpClient http;

    private HashingEmbedder embedder;
    private InMemoryVectorStore store;
    private PrometheusMeterRegistry meters;
    private final List<GatewayServer> servers = new ArrayList<>();
    private GatewayServer server;

    /** Helidon logs through java.util.logging; keep its per-server INFO lines out of the test output. */
    private static final java.util.logging.Logger HELIDON_LOG = java.util.logging.Logger.getLogger("io.helidon");

    @BeforeAll
    static void client() {
        HELIDON_LOG.setLevel(java.util.logging.Level.WARNING);
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void closeClient() {
        http.close();
    }

    @BeforeEach
    void startGateway() {
        embedder = new HashingEmbedder();
        store = new InMemoryVectorStore("pgvector");
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        index("kafka-guide", "Kafka Guide", KAFKA_REBALANCE,
                "Kafka producers batch records before sending them to brokers");
        index("postgres-guide", "Postgres Guide", POSTGRES_VACUUM,
                "Postgres indexes speed up lookups on large tables");
        index("helidon-guide", "Helidon Guide", "Helidon routes each request to a handler on a virtual thread",
                "Helidon filters run around every handler in the routing");
        index("bread-recipe", "Bread Recipe", "Bread dough rises while yeast ferments the sugar in flour",
                "Bake the loaf until the crust sounds hollow when tapped");
        assertThat(store.count()).isEqualTo(CORPUS_CHUNKS);
        server = start(Map.of(), List.of());
    }

    @AfterEach
    void stopGateways() {
        servers.forEach(GatewayServer::close);
        meters.close();
    }

    // ---------------------------------------------------------------- POST /v1/search

    @Nested
    class Search {

        @Test
        void shouldRankChunkOfMatchingDocumentFirst() throws Exception {
            // given the corpus; when searching densely with the words of one chunk
            Response response = postJson("/v1/search", """
                    {"query": "kafka consumers rebalance partitions when a member joins the group?", "top_k": 3,
                     "mode": "dense"}
                    """);

            // then that chunk comes first, with a perfect score, and the rest follow best first
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("application/json");
            JsonNode hits = response.json().get("hits");
            assertThat(hits).hasSize(3);
            JsonNode first = hits.get(0);
            assertThat(first.get("doc_id").asText()).isEqualTo("kafka-guide");
            assertThat(first.get("chunk_id").asText()).isEqualTo("kafka-guide#0");
            assertThat(first.get("title").asText()).isEqualTo("Kafka Guide");
            assertThat(first.get("text").asText()).isEqualTo(KAFKA_REBALANCE);
            assertThat(first.get("score").asDouble()).isCloseTo(1.0, within(1e-6));
            List<Double> scores = stream(hits).map(hit -> hit.get("score").asDouble()).toList();
            assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
            assertThat(scores.get(1)).isLessThan(scores.get(0));
        }

        @Test
        void shouldReturnHitsInTheStoresOrderWithTheStoresScores() throws Exception {
            // given what the store itself ranks for a query
            String query = "postgres vacuum dead tuples";
            List<SearchHit> expected = store.search(HashingEmbedder.embed(query), CORPUS_CHUNKS);

            // when the gateway is asked for all of them, densely as the store was
            Response response = postJson("/v1/search",
                    "{\"query\": \"" + query + "\", \"top_k\": " + CORPUS_CHUNKS + ", \"mode\": \"dense\"}");

            // then it passes them through in the same order, with the same ids and scores
            assertThat(response.status()).isEqualTo(200);
            JsonNode hits = response.json().get("hits");
            assertThat(stream(hits).map(hit -> hit.get("chunk_id").asText()).toList())
                    .containsExactlyElementsOf(expected.stream().map(SearchHit::chunkId).toList());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(hits.get(i).get("score").asDouble()).isCloseTo(expected.get(i).score(), within(1e-9));
                assertThat(hits.get(i).get("chunk_index").asInt()).isEqualTo(expected.get(i).chunkIndex());
            }
        }

        @Test
        void shouldNameEveryFieldInSnakeCaseAndSayWhichStoreServed() throws Exception {
            // when
            Response response = postJson("/v1/search", "{\"query\": \"bread yeast dough\"}");

            // then
            assertThat(response.status()).isEqualTo(200);
            JsonNode body = response.json();
            assertThat(fieldNames(body)).contains("hits", "served_by", "timings_ms")
                    .doesNotContain("servedBy", "timingsMs");
            assertThat(body.get("served_by").asText()).isEqualTo("pgvector");
            for (JsonNode hit : body.get("hits")) {
                assertThat(fieldNames(hit)).contains("doc_id", "chunk_id", "title", "score", "text")
                        .doesNotContain("docId", "chunkId", "chunkIndex");
                assertThat(hit.get("score").isNumber()).isTrue();
                assertThat(hit.get("text").asText()).isNotBlank();
            }
            JsonNode timings = body.get("timings_ms");
            assertThat(fieldNames(timings)).contains("total", "embed", "pgvector");
            assertThat(timings.get("total").isNumber()).isTrue();
            assertThat(timings.get("total").asDouble()).isGreaterThanOrEqualTo(0.0);
        }

        @Test
        void shouldReturnNoMoreHitsThanTopK() throws Exception {
            // when
            Response response = postJson("/v1/search", "{\"query\": \"helidon handler\", \"top_k\": 2}");

            // then
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("hits")).hasSize(2);
            assertThat(store.lastTopK()).isEqualTo(2);
        }

        @Test
        void shouldReturnFiveHitsWhenTopKIsOmitted() throws Exception {
            // given more chunks than the default; when no top_k is sent
            Response response = postJson("/v1/search", "{\"query\": \"helidon handler\"}");

            // then
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("hits")).hasSize(5);
            assertThat(store.lastTopK()).isEqualTo(5);
        }

        @Test
        void shouldTreatNullTopKAsOmitted() throws Exception {
            Response response = postJson("/v1/search", "{\"query\": \"helidon handler\", \"top_k\": null}");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("hits")).hasSize(5);
        }

        @Test
        void shouldAcceptTopKAtTheConfiguredMaximum() throws Exception {
            // when top_k is exactly FARO_MAX_TOP_K (default 50)
            Response response = postJson("/v1/search", "{\"query\": \"helidon handler\", \"top_k\": 50}");

            // then every chunk there is comes back
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("hits")).hasSize(CORPUS_CHUNKS);
            assertThat(store.lastTopK()).isEqualTo(50);
        }

        @Test
        void shouldCapDefaultTopKAndRejectLargerTopKWhenMaxIsLowered() throws Exception {
            // given FARO_MAX_TOP_K=3
            GatewayServer small = start(Map.of(FaroConfig.MAX_TOP_K, "3"), List.of());

            // when top_k is omitted, then the default is capped at the maximum
            Response omitted = post(small, "/v1/search", "application/json", "{\"query\": \"helidon handler\"}");
            assertThat(omitted.status()).isEqualTo(200);
            assertThat(omitted.json().get("hits")).hasSize(3);

            // when top_k is above it, then it is rejected naming the setting
            Response over = post(small, "/v1/search", "application/json",
                    "{\"query\": \"helidon handler\", \"top_k\": 4}");
            assertProblem(over, 400);
            assertThat(over.json().get("detail").asText()).contains("top_k").contains("FARO_MAX_TOP_K");
        }

        @Test
        void shouldReturnEmptyHitsWhenNothingIsIndexed() throws Exception {
            // given an empty store
            store.delete(List.of("kafka-guide#0", "kafka-guide#1", "postgres-guide#0", "postgres-guide#1",
                    "helidon-guide#0", "helidon-guide#1", "bread-recipe#0", "bread-recipe#1"));

            // when
            Response response = postJson("/v1/search", "{\"query\": \"anything\"}");

            // then
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("hits")).isEmpty();
        }

        @Test
        void shouldAcceptJsonSuffixMediaTypeAndCharsetParameter() throws Exception {
            Response vendor = post(server, "/v1/search", "application/vnd.faro+json", "{\"query\": \"bread\"}");
            Response charset = post(server, "/v1/search", "application/json; charset=utf-8",
                    "{\"query\": \"bread\"}");

            assertThat(vendor.status()).isEqualTo(200);
            assertThat(charset.status()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- POST /v1/query

    @Nested
    class Query {

        @Test
        void shouldAnswerWithCitationsPointingIntoTheSources() throws Exception {
            // when asking densely with the words of one chunk
            Response response = postJson("/v1/query",
                    "{\"question\": \"" + POSTGRES_VACUUM.toLowerCase() + "\", \"top_k\": 4, \"mode\": \"dense\"}");

            // then the answer quotes the best passages with numbered citations, and sources are numbered 1..n
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("application/json");
            JsonNode body = response.json();
            assertThat(body.get("extractive").asBoolean()).isTrue();
            assertThat(body.get("extractive").isBoolean()).isTrue();
            JsonNode sources = body.get("sources");
            assertThat(stream(sources).map(s -> s.get("ref").asInt()).toList()).containsExactly(1, 2, 3, 4);
            JsonNode first = sources.get(0);
            assertThat(first.get("doc_id").asText()).isEqualTo("postgres-guide");
            assertThat(first.get("chunk_id").asText()).isEqualTo("postgres-guide#0");
            assertThat(first.get("title").asText()).isEqualTo("Postgres Guide");
            assertThat(first.get("text").asText()).isEqualTo(POSTGRES_VACUUM);
            assertThat(first.get("score").asDouble()).isCloseTo(1.0, within(1e-6));

            String answer = body.get("answer").asText();
            assertThat(answer).startsWith("\"" + POSTGRES_VACUUM + "\" [1]");
            double best = sources.get(0).get("score").asDouble();
            for (int ref = 2; ref <= 4; ref++) {
                JsonNode source = sources.get(ref - 1);
                String quoted = "\"" + source.get("text").asText() + "\" [" + ref + "]";
                boolean closeToBest = ref <= 3 && source.get("score").asDouble() >= 0.6 * best;
                assertThat(answer.contains(quoted)).as("answer quotes source %d", ref).isEqualTo(closeToBest);
            }
            assertThat(answer).doesNotContain("[4]");

            assertThat(body.get("served_by").asText()).isEqualTo("pgvector");
            assertThat(fieldNames(body.get("timings_ms"))).contains("embed", "pgvector", "answer", "total");
        }

        @Test
        void shouldReturnFiveSourcesWhenTopKIsOmitted() throws Exception {
            Response response = postJson("/v1/query", "{\"question\": \"how is bread baked?\"}");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("sources")).hasSize(5);
        }

        @Test
        void shouldSayNothingMatchesWhenNothingIsIndexed() throws Exception {
            // given an empty store
            store.delete(List.of("kafka-guide#0", "kafka-guide#1", "postgres-guide#0", "postgres-guide#1",
                    "helidon-guide#0", "helidon-guide#1", "bread-recipe#0", "bread-recipe#1"));

            // when
            Response response = postJson("/v1/query", "{\"question\": \"what is kafka?\"}");

            // then
            assertThat(response.status()).isEqualTo(200);
            JsonNode body = response.json();
            assertThat(body.get("sources")).isEmpty();
            assertThat(body.get("answer").asText()).isEqualTo("No indexed passage matches the question.");
            assertThat(body.get("answer").asText()).doesNotContain("[1]");
        }

        @Test
        void shouldRejectQueryWithoutQuestionNamingTheField() throws Exception {
            // when sending the search endpoint's field to the query endpoint
            Response response = postJson("/v1/query", "{\"query\": \"what is kafka?\"}");

            // then the stray field is named, and so is the one the route takes instead
            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).contains("unknown field 'query'").contains("'question'");
        }

        @Test
        void shouldRejectInvalidTopKOnQueryToo() throws Exception {
            Response response = postJson("/v1/query", "{\"question\": \"what is kafka?\", \"top_k\": 0}");

            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).contains("top_k");
        }
    }

    // ---------------------------------------------------------------- 4xx problem details

    @Nested
    class Problems {

        @Test
        void shouldRejectInvalidJsonWith400() throws Exception {
            Response response = postJson("/v1/search", "{\"query\": ");

            assertProblem(response, 400);
            assertThat(response.json().get("type").asText()).isEqualTo("/problems/invalid-request");
            assertThat(response.json().get("detail").asText()).contains("not valid JSON");
        }

        @Test
        void shouldRejectAFieldNamedTwiceWith400NamingIt() throws Exception {
            Response response = postJson("/v1/search", "{\"query\": \"a\", \"query\": \"b\"}");

            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).contains("Duplicate field 'query'");
        }

        @Test
        void shouldRejectTrailingContentAfterTheObjectWith400() throws Exception {
            Response response = postJson("/v1/search", "{\"query\": \"kafka\"} {\"query\": \"again\"}");

            assertProblem(response, 400);
        }

        @Test
        void shouldRejectJsonArrayBodyWith400() throws Exception {
            Response response = postJson("/v1/search", "[{\"query\": \"kafka\"}]");

            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).contains("JSON object");
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "\"kafka\"", "42"})
        void shouldRejectJsonScalarBodyWith400(String body) throws Exception {
            Response response = postJson("/v1/search", body);

            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).contains("JSON object");
        }

        @Test
        void shouldRejectEmptyBodyWith400() throws Exception {
            Response response = postJson("/v1/search", "");

            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).contains("no body");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"top_k\": 3}", "{\"query\": null}"})
        void shouldRejectMissingQueryWith400NamingTheField(String body) throws Exception {
            Response response = postJson("/v1/search", body);

            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).isEqualTo("'query' is missing");
            assertThat(response.json().get("instance").asText()).isEqualTo("/v1/search");
        }

        @ParameterizedTest
        @ValueSource(strings = {"42", "true", "[\"kafka\"]", "{\"text\": \"kafka\"}"})
        void shouldRejectQueryThatIsNotAStringWith400(String value) throws Exception {
            Response response = postJson("/v1/search", "{\"query\": " + value + "}");

            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).isEqualTo("'query' must be a string");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\\t\\n  "})
        void shouldRejectEmptyQueryWith400(String value) throws Exception {
            Response response = postJson("/v1/search", "{\"query\": \"" + value + "\"}");

            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).isEqualTo("'query' is empty");
        }

        @Test
        void shouldRejectQueryOverFourThousandCharactersWith400() throws Exception {
            Response response = postJson("/v1/search", "{\"query\": \"" + "a".repeat(4_097) + "\"}");

            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).contains("'query'").contains("4096");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "51", "2.5", "3.0", "\"3\"", "true", "3000000000", "[3]"})
        void shouldRejectTopKOutsideOneToMaxOrNotAnIntegerWith400(String topK) throws Exception {
            Response response = postJson("/v1/search", "{\"query\": \"kafka\", \"top_k\": " + topK + "}");

            assertProblem(response, 400);
            assertThat(response.json().get("detail").asText()).contains("'top_k'").contains("50");
            assertThat(store.lastTopK()).as("the store is not asked").isEqualTo(-1);
        }

        @Test
        void shouldRejectBodyOverMaxRequestBytesWith413() throws Exception {
            // given FARO_MAX_REQUEST_BYTES=1024
            GatewayServer limited = start(Map.of(FaroConfig.MAX_REQUEST_BYTES, "1024"), List.of());
            String body = "{\"query\": \"" + "kafka ".repeat(300) + "\"}";
            assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(1024);

            // when
            Response response = post(limited, "/v1/search", "application/json", body);

            // then
            assertProblem(response, 413);
            assertThat(response.json().get("detail").asText()).contains("1024").contains("FARO_MAX_REQUEST_BYTES");
            assertThat(store.lastTopK()).isEqualTo(-1);
        }

        @Test
        void shouldRejectChunkedBodyOverMaxRequestBytesWith413() throws Exception {
            // given FARO_MAX_REQUEST_BYTES=1024, and a body sent without Content-Length
            GatewayServer limited = start(Map.of(FaroConfig.MAX_REQUEST_BYTES, "1024"), List.of());
            byte[] body = ("{\"query\": \"" + "kafka ".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(uri(limited, "/v1/search"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                    .build();

            // when
            Response response = send(request);

            // then
            assertProblem(response, 413);
        }

        @Test
        void shouldAcceptBodyOfExactlyMaxRequestBytes() throws Exception {
            // given FARO_MAX_REQUEST_BYTES=1024 and a body padded to exactly that size
            GatewayServer limited = start(Map.of(FaroConfig.MAX_REQUEST_BYTES, "1024"), List.of());
            String head = "{\"query\": \"kafka\"}";
            String body = head + " ".repeat(1024 - head.length());
            assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(1024);

            // when
            Response response = post(limited, "/v1/search", "application/json", body);

            // then
            assertThat(response.status()).isEqualTo(200);
        }

        @Test
        void shouldRejectTextPlainWith415() throws Exception {
            Response response = post(server, "/v1/search", "text/plain", "{\"query\": \"kafka\"}");

            assertProblem(response, 415);
            assertThat(response.json().get("detail").asText()).contains("application/json").contains("text/plain");
            assertThat(store.lastTopK()).isEqualTo(-1);
        }

        @Test
        void shouldAnswerUnknownRouteWith404Problem() throws Exception {
            Response response = get(server, "/v2/nowhere");

            assertProblem(response, 404);
            assertThat(response.json().get("type").asText()).isEqualTo("/problems/not-found");
            assertThat(response.json().get("detail").asText()).contains("GET /v2/nowhere");
        }

        @Test
        void shouldAnswerUnknownPostRouteWith404Problem() throws Exception {
            Response response = postJson("/v1/searches", "{\"query\": \"kafka\"}");

            assertProblem(response, 404);
            assertThat(response.json().get("detail").asText()).contains("POST /v1/searches");
        }
    }

    // ---------------------------------------------------------------- failures inside

    @Nested
    class Failures {

        @Test
        void shouldAnswer503WhenTheStoreFailsOnSearch() throws Exception {
            // given a store that throws StoreException
            store.failing(true);

            // when
            Response response = postJson("/v1/search", "{\"query\": \"kafka\"}");

            // then
            assertProblem(response, 503);
            JsonNode body = response.json();
            assertThat(body.get("type").asText()).isEqualTo("/problems/unavailable");
            assertThat(body.get("detail").asText()).contains("pgvector");
        }

        @Test
        void shouldAnswer503WhenTheStoreFailsOnQuery() throws Exception {
            store.failing(true);

            Response response = postJson("/v1/query", "{\"question\": \"what is kafka?\"}");

            assertProblem(response, 503);
            assertThat(response.json().get("detail").asText()).contains("pgvector");
        }

        @Test
        void shouldServeAgainOnceTheStoreRecovers() throws Exception {
            store.failing(true);
            assertProblem(postJson("/v1/search", "{\"query\": \"kafka\"}"), 503);

            store.failing(false);
            Response response = postJson("/v1/search", "{\"query\": \"kafka\"}");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("hits")).hasSize(5);
        }

        @Test
        void shouldAnswer500ProblemWithoutInternalsWhenSomethingUnexpectedFails() throws Exception {
            // given an embedder that fails with an unexpected exception carrying internal detail
            embedder.failWith(new IllegalStateException("secret-internal-detail"));

            // when
            Response response = postJson("/v1/search", "{\"query\": \"kafka\"}");

            // then a generic problem, saying nothing of the exception
            assertProblem(response, 500);
            assertThat(response.body()).doesNotContain("secret-internal-detail").doesNotContain("IllegalState");
        }
    }

    // ---------------------------------------------------------------- health

    @Nested
    class Health {

        @Test
        void shouldAnswerLiveWith200() throws Exception {
            Response response = get(server, "/health/live");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("status").asText()).isEqualTo("UP");
        }

        @Test
        void shouldBeReadyWhenEveryCheckPasses() throws Exception {
            // given
            GatewayServer gateway = start(Map.of(), List.of(
                    ReadinessCheck.critical("kafka", () -> true),
                    ReadinessCheck.critical("pgvector", () -> true)));

            // when
            Response response = get(gateway, "/health/ready");

            // then
            assertThat(response.status()).isEqualTo(200);
            JsonNode body = response.json();
            assertThat(body.get("status").asText()).isEqualTo("UP");
            assertThat(body.get("checks").get("kafka").asText()).isEqualTo("UP");
            assertThat(body.get("checks").get("pgvector").asText()).isEqualTo("UP");
        }

        @Test
        void shouldBeNotReadyNamingTheFailingCheckDown() throws Exception {
            // given one failing check among passing ones
            GatewayServer gateway = start(Map.of(), List.of(
                    ReadinessCheck.critical("kafka", () -> true),
                    ReadinessCheck.critical("pgvector", () -> false),
                    ReadinessCheck.critical("topology", () -> true)));

            // when
            Response response = get(gateway, "/health/ready");

            // then
            assertThat(response.status()).isEqualTo(503);
            JsonNode body = response.json();
            assertThat(body.get("status").asText()).isEqualTo("DOWN");
            assertThat(body.get("checks").get("pgvector").asText()).isEqualTo("DOWN");
            assertThat(body.get("checks").get("kafka").asText()).isEqualTo("UP");
            assertThat(body.get("checks").get("topology").asText()).isEqualTo("UP");
        }

        @Test
        void shouldCountACheckThatThrowsAsDown() throws Exception {
            GatewayServer gateway = start(Map.of(), List.of(
                    ReadinessCheck.critical("kafka", () -> {
                        throw new IllegalStateException("broker gone");
                    })));

            Response response = get(gateway, "/health/ready");

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.json().get("checks").get("kafka").asText()).isEqualTo("DOWN");
            assertThat(response.body()).doesNotContain("broker gone");
        }

        @Test
        void shouldEvaluateChecksOnEveryRequest() throws Exception {
            // given a check that starts down
            AtomicBoolean kafkaUp = new AtomicBoolean(false);
            GatewayServer gateway = start(Map.of(), List.of(ReadinessCheck.critical("kafka", kafkaUp::get)));
            assertThat(get(gateway, "/health/ready").status()).isEqualTo(503);

            // when it comes up
            kafkaUp.set(true);

            // then the same server reports ready
            Response response = get(gateway, "/health/ready");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("checks").get("kafka").asText()).isEqualTo("UP");
        }

        @Test
        void shouldBeLiveEvenWhenNotReady() throws Exception {
            GatewayServer gateway = start(Map.of(), List.of(ReadinessCheck.critical("kafka", () -> false)));

            assertThat(get(gateway, "/health/live").status()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- metrics

    @Nested
    class Metrics {

        @Test
        void shouldExportSearchLatencyAndRequestTimingsAfterASearch() throws Exception {
            // given one search
            assertThat(postJson("/v1/search", "{\"query\": \"kafka\"}").status()).isEqualTo(200);

            // when (the request timer stops just after the response is written, so scrape until it shows)
            String scrape = scrapeUntil(text -> text.lines().anyMatch(GatewayServerTest::isNonMetricsRequest200));

            // then the store's search latency and the request's timing are both exported
            assertThat(scrape).contains("rag_search_latency_seconds");
            assertThat(lineWith(scrape, "rag_search_latency_seconds_count", "store=\"pgvector\""))
                    .as(metricLines(scrape, "rag_search_latency_seconds")).isTrue();
            assertThat(scrape).contains("faro_http_request_seconds");
            assertThat(scrape.lines().anyMatch(GatewayServerTest::isNonMetricsRequest200))
                    .as(metricLines(scrape, "faro_http_request_seconds")).isTrue();
            assertThat(lineWith(scrape, "faro_http_request_seconds_count", "route=\"/v1/search\""))
                    .as(metricLines(scrape, "faro_http_request_seconds_count")).isTrue();
            // as a histogram, so that dashboards can show percentiles per route
            assertThat(lineWith(scrape, "faro_http_request_seconds_bucket", "route=\"/v1/search\""))
                    .as(metricLines(scrape, "faro_http_request_seconds")).isTrue();
        }

        @Test
        void shouldLabelRequestTimingsWithTheResponseStatus() throws Exception {
            // given a rejected search and a failed one
            assertThat(postJson("/v1/search", "{}").status()).isEqualTo(400);
            store.failing(true);
            assertThat(postJson("/v1/search", "{\"query\": \"kafka\"}").status()).isEqualTo(503);

            // when
            String scrape = scrapeUntil(text -> lineWith(text, "faro_http_request_seconds_count", "status=\"503\""));

            // then each is counted under its own status, not as 200
            assertThat(lineWith(scrape, "faro_http_request_seconds_count", "status=\"400\""))
                    .as(metricLines(scrape, "faro_http_request_seconds_count")).isTrue();
            assertThat(lineWith(scrape, "faro_http_request_seconds_count", "status=\"503\""))
                    .as(metricLines(scrape, "faro_http_request_seconds_count")).isTrue();
        }

        @Test
        void shouldServeMetricsAsPrometheusText() throws Exception {
            Response response = get(server, "/metrics");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("text/plain");
        }

        @Test
        void shouldLabelUnknownPathsAsOtherToBoundSeriesCount() throws Exception {
            // given a request to a path no route knows
            assertThat(get(server, "/wp-admin/login.php").status()).isEqualTo(404);

            // when
            String scrape = scrapeUntil(text -> lineWith(text, "faro_http_request_seconds", "route=\"other\""));

            // then
            assertThat(lineWith(scrape, "faro_http_request_seconds", "route=\"other\"")).isTrue();
            assertThat(scrape).doesNotContain("wp-admin");
        }
    }

    // ---------------------------------------------------------------- shutdown

    @Nested
    class Shutdown {

        @Test
        void shouldLetARequestInFlightFinishBeforeStopping() throws Exception {
            // given a question whose embedding is held until the test lets it go
            CountDownLatch release = new CountDownLatch(1);
            Embedder slow = embedder.heldUntil(release);
            GatewayServer gateway = start(Map.of(), List.of(), slow);
            servers.remove(gateway);
            CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(uri(gateway,
                            "/v1/search")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"vacuum\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.inFlight() == 1);

            // when the gateway is closed while the request waits
            CompletableFuture<Void> closed = CompletableFuture.runAsync(gateway::close);
            org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> !closed.isDone());
            release.countDown();

            // then the request gets its answer, and only then does the gateway stop
            assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            closed.get(10, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- helpers

    private record Response(int status, String contentType, String body) {

        JsonNode json() throws JsonProcessingException {
            return Json.mapper().readTree(body);
        }
    }

    private GatewayServer start(Map<String, String> env, List<ReadinessCheck> readiness) {
        return start(env, readiness, embedder);
    }

    private GatewayServer start(Map<String, String> env, List<ReadinessCheck> readiness, Embedder questions) {
        FaroConfig config = FaroConfig.from(Env.of(env)).withPorts(0, 0, 0);
        io.faro.gateway.health.Health health = new io.faro.gateway.health.Health();
        readiness.forEach(health::ready);
        GatewayServer started = GatewayServer.start(config,
                new GatewayServer.Dependencies(new Embedders(model -> questions), questions.model(), store,
                        java.util.Optional.empty(), new ExtractiveAnswerer(), health, meters));
        servers.add(started);
        assertThat(started.port()).isPositive();
        return started;
    }

    private void index(String docId, String title, String... texts) {
        List<EmbeddedChunk> batch = new ArrayList<>();
        List<float[]> vectors = embedder.embedAll(List.of(texts));
        for (int i = 0; i < texts.length; i++) {
            Chunk chunk = new Chunk(Chunk.idOf(docId, i), docId, 1L, i, title, texts[i], Map.of("source", "test"));
            batch.add(new EmbeddedChunk(chunk, embedder.model(), embedder.dimension(), vectors.get(i)));
        }
        store.upsert(batch);
    }

    private static URI uri(GatewayServer target, String path) {
        return URI.create("http://localhost:" + target.port() + path);
    }

    private Response postJson(String path, String body) throws IOException, InterruptedException {
        return post(server, path, "application/json", body);
    }

    private static Response post(GatewayServer target, String path, String contentType, String body)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(target, path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    private static Response get(GatewayServer target, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(target, path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private static Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    /**
     * A problem-details response: the media type, the four members, the status echoed in the body,
     * and nothing that looks like a stack trace.
     */
    private static void assertProblem(Response response, int status) throws JsonProcessingException {
        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.isObject()).isTrue();
        assertThat(body.get("type").asText()).startsWith("/problems/");
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("status").isInt()).isTrue();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asText()).isNotBlank();
        assertThat(response.body())
                .doesNotContain("Exception")
                .doesNotContain(".java:")
                .doesNotContain("\tat ")
                .doesNotContain("\\tat ")
                .doesNotContain("io.faro.")
                .doesNotContain("io.helidon.");
    }

    /** Scrapes /metrics until the condition holds (the request timer stops just after the response). */
    private String scrapeUntil(java.util.function.Predicate<String> condition) throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> scrape = new java.util.concurrent.atomic.AtomicReference<>("");
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        Response response = get(server, "/metrics");
                        assertThat(response.status()).isEqualTo(200);
                        scrape.set(response.body());
                        return condition.test(response.body());
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the caller's assertions on the last scrape say what is missing
        }
        return scrape.get();
    }

    private static boolean lineWith(String scrape, String prefix, String... contains) {
        return scrape.lines()
                .filter(line -> line.startsWith(prefix))
                .anyMatch(line -> java.util.Arrays.stream(contains).allMatch(line::contains));
    }

    private static boolean isNonMetricsRequest200(String line) {
        return line.startsWith("faro_http_request_seconds_count")
                && line.contains("status=\"200\"")
                && !line.contains("route=\"/metrics\"");
    }

    private static String metricLines(String scrape, String prefix) {
        return String.join("\n", scrape.lines().filter(line -> line.startsWith(prefix)).limit(20).toList());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
