package io.faro.gateway.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.embed.Embedders;
import io.faro.core.json.Json;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.ChunkVersion;
import io.faro.core.store.SearchMode;
import io.faro.core.store.SearchModeUnavailableException;
import io.faro.core.store.StoreQuery;
import io.faro.core.store.StoredDocument;
import io.faro.core.store.VectorStore;
import io.faro.core.testing.InMemoryVectorStore;
import io.faro.gateway.GatewayServer;
import io.faro.gateway.answer.ExtractiveAnswerer;
import io.faro.gateway.health.Health;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mode} and {@code explain} over HTTP, end to end: the gateway, its store double answering dense, keyword
 * and hybrid searches, and an embedder that counts what it embeds.
 */
class SearchModesTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final CountingEmbedder embedder = new CountingEmbedder();
    private final InMemoryVectorStore store = new InMemoryVectorStore("pgvector");
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<GatewayServer> servers = new ArrayList<>();
    private GatewayServer gateway;

    @BeforeEach
    void start() {
        index("invoice", "Accounts", "Invoice XK42 was paid in March");
        index("weather", "Forecast", "Rain is expected over the hills");
        index("invoices", "Accounts", "Invoices are paid every month by transfer");
        gateway = start(Map.of(), store);
    }

    @AfterEach
    void stop() {
        servers.forEach(GatewayServer::close);
        meters.close();
    }

    @Test
    void shouldSearchByKeywordsWithoutEmbeddingTheQuestion() throws Exception {
        // when
        JsonNode body = search("{\"query\": \"status of XK42?\", \"mode\": \"keyword\"}", 200);

        // then the chunk holding the rare word is found, the question was never embedded, and the answer says so
        assertThat(body.get("mode").asText()).isEqualTo("keyword");
        assertThat(ids(body.get("hits"))).containsExactly("invoice#0");
        assertThat(embedder.questions.get()).isZero();
        assertThat(store.lastQuery().mode()).isEqualTo(SearchMode.KEYWORD);
        assertThat(store.lastQuery().vector()).isNull();
        assertThat(fieldNames(body.get("timings_ms"))).contains("pgvector", "total").doesNotContain("embed");
    }

    @Test
    void shouldAnswerAKeywordSearchEvenWhenTheModelCannotEmbed() throws Exception {
        embedder.broken = true;

        assertThat(search("{\"query\": \"XK42\", \"mode\": \"keyword\"}", 200).get("hits")).hasSize(1);
        assertThat(search("{\"query\": \"XK42\", \"mode\": \"dense\"}", 500).get("type").asText())
                .isEqualTo("/problems/internal");
    }

    @Test
    void shouldEmbedOnceAndFuseBothRankingsInHybridMode() throws Exception {
        JsonNode body = search("{\"query\": \"invoice XK42 paid\", \"mode\": \"hybrid\", \"top_k\": 3}", 200);

        assertThat(body.get("mode").asText()).isEqualTo("hybrid");
        assertThat(ids(body.get("hits")).getFirst()).isEqualTo("invoice#0");
        assertThat(embedder.questions.get()).isEqualTo(1);
        assertThat(store.lastQuery().mode()).isEqualTo(SearchMode.HYBRID);
        assertThat(store.lastQuery().text()).isEqualTo("invoice XK42 paid");
        assertThat(fieldNames(body.get("timings_ms"))).contains("embed", "pgvector");
    }

    @Test
    void shouldSearchHybridWhenNoModeIsGivenAndSayWhichModeRan() throws Exception {
        JsonNode body = search("{\"query\": \"rain over hills\", \"mode\": null}", 200);

        assertThat(body.get("mode").asText()).isEqualTo("hybrid");
        assertThat(store.lastQuery().mode()).isEqualTo(SearchMode.HYBRID);
        assertThat(store.lastQuery().explain()).isFalse();
    }

    @Test
    void shouldTakeTheDefaultModeFromFaroSearchMode() throws Exception {
        GatewayServer keywordFirst = start(Map.of(FaroConfig.SEARCH_MODE, "keyword"), store);

        JsonNode body = json(post(keywordFirst, "/v1/search", "{\"query\": \"XK42\"}"));

        assertThat(body.get("mode").asText()).isEqualTo("keyword");
        assertThat(embedder.questions.get()).isZero();
    }

    @Test
    void shouldExplainEachHitsRanksOnBothSidesWithNullsWhereASideDidNotFindIt() throws Exception {
        JsonNode body = search("{\"query\": \"invoice XK42\", \"mode\": \"hybrid\", \"explain\": true, \"top_k\": 3}",
                200);

        for (JsonNode hit : body.get("hits")) {
            JsonNode ranks = hit.get("ranks");
            assertThat(fieldNames(ranks)).containsExactlyInAnyOrder("dense_rank", "dense_score", "keyword_rank",
                    "keyword_score");
            assertThat(ranks.get("dense_rank").isInt()).as(hit.toString()).isTrue();
        }
        JsonNode best = body.get("hits").get(0);
        assertThat(best.get("chunk_id").asText()).isEqualTo("invoice#0");
        assertThat(best.get("ranks").get("keyword_rank").asInt()).isEqualTo(1);
        assertThat(best.get("ranks").get("keyword_score").asDouble()).isPositive();
        JsonNode weather = hit(body, "weather#0");
        assertThat(weather.get("ranks").get("keyword_rank").isNull()).isTrue();
        assertThat(weather.get("ranks").get("keyword_score").isNull()).isTrue();
        assertThat(store.lastQuery().explain()).isTrue();
    }

    @Test
    void shouldExplainADenseSearchByEachHitsPlaceInTheDenseRanking() throws Exception {
        JsonNode body = search("{\"query\": \"rain\", \"mode\": \"dense\", \"explain\": true, \"top_k\": 2}", 200);

        JsonNode second = body.get("hits").get(1);
        assertThat(second.get("ranks").get("dense_rank").asInt()).isEqualTo(2);
        assertThat(second.get("ranks").get("dense_score").asDouble()).isEqualTo(second.get("score").asDouble());
        assertThat(second.get("ranks").get("keyword_rank").isNull()).isTrue();
    }

    @Test
    void shouldLeaveRanksAndRerankFieldsOutUnlessAsked() throws Exception {
        JsonNode body = search("{\"query\": \"invoice\", \"mode\": \"hybrid\", \"explain\": false}", 200);

        assertThat(fieldNames(body)).doesNotContain("reranked", "rerank_error");
        for (JsonNode hit : body.get("hits")) {
            assertThat(fieldNames(hit)).doesNotContain("ranks");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"semantic\"", "\"\"", "42", "true", "[\"dense\"]"})
    void shouldRefuseAModeThatIsNoneOfTheThreeNamingTheFieldAndTheChoices(String mode) throws Exception {
        HttpResponse<String> response = post(gateway, "/v1/search", "{\"query\": \"x\", \"mode\": " + mode + "}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json(response).get("detail").asText()).contains("'mode'").contains("dense, keyword, hybrid");
        assertThat(store.lastQuery()).as("the store is not asked").isNull();
    }

    @Test
    void shouldRefuseAnExplainThatIsNotABooleanAndExplainOnQuery() throws Exception {
        HttpResponse<String> notBoolean = post(gateway, "/v1/search", "{\"query\": \"x\", \"explain\": \"yes\"}");
        HttpResponse<String> onQuery = post(gateway, "/v1/query", "{\"question\": \"x\", \"explain\": true}");

        assertThat(notBoolean.statusCode()).isEqualTo(400);
        assertThat(json(notBoolean).get("detail").asText()).contains("'explain'").contains("true or false");
        assertThat(onQuery.statusCode()).isEqualTo(400);
        assertThat(json(onQuery).get("detail").asText()).contains("unknown field 'explain'").contains("'mode'");
    }

    @Test
    void shouldAnswerAQuestionFromAKeywordSearchAndSayWhichModeRan() throws Exception {
        JsonNode body = json(post(gateway, "/v1/query", "{\"question\": \"Was XK42 paid?\", \"mode\": \"keyword\"}"));

        assertThat(body.get("mode").asText()).isEqualTo("keyword");
        assertThat(body.get("sources").get(0).get("chunk_id").asText()).isEqualTo("invoice#0");
        assertThat(body.get("answer").asText()).contains("Invoice XK42 was paid in March");
        assertThat(embedder.questions.get()).isZero();
    }

    @Test
    void shouldStreamTheModeWithTheSources() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(gateway, "/v1/query"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"XK42\", \"mode\": \"hybrid\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        String sources = response.body().lines().dropWhile(line -> !line.equals("event:sources")
                && !line.equals("event: sources")).filter(line -> line.startsWith("data:")).findFirst().orElseThrow();
        JsonNode event = Json.mapper().readTree(sources.substring(5).strip());
        assertThat(event.get("mode").asText()).isEqualTo("hybrid");
        assertThat(fieldNames(event)).doesNotContain("reranked");
        assertThat(store.lastQuery().mode()).isEqualTo(SearchMode.HYBRID);
    }

    @Test
    void shouldAnswer409WithAProblemWhenTheStoreCannotAnswerTheMode() throws Exception {
        // given a store whose copy has no keyword side
        GatewayServer old = start(Map.of(), new NoKeywordSide(store));

        // when a hybrid search comes, and a dense one
        HttpResponse<String> hybrid = post(old, "/v1/search", "{\"query\": \"XK42\", \"mode\": \"hybrid\"}");
        HttpResponse<String> dense = post(old, "/v1/search", "{\"query\": \"XK42\", \"mode\": \"dense\"}");

        // then the first is refused with a problem that says what to do, and the second is served
        assertThat(hybrid.statusCode()).isEqualTo(409);
        JsonNode problem = json(hybrid);
        assertThat(problem.get("type").asText()).isEqualTo("/problems/search-mode-unavailable");
        assertThat(problem.get("detail").asText()).contains("pgvector cannot answer hybrid searches")
                .contains("faro rebuild");
        assertThat(hybrid.body()).doesNotContain("Exception").doesNotContain("io.faro.");
        assertThat(dense.statusCode()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- helpers

    private GatewayServer start(Map<String, String> env, VectorStore searched) {
        FaroConfig config = FaroConfig.from(Env.of(env)).withPorts(0, 0, 0);
        GatewayServer started = GatewayServer.start(config, new GatewayServer.Dependencies(
                new Embedders(model -> embedder), embedder.model(), searched, Optional.empty(),
                new ExtractiveAnswerer(), new Health(), meters));
        servers.add(started);
        return started;
    }

    private void index(String docId, String title, String text) {
        Chunk chunk = new Chunk(Chunk.idOf(docId, 0), docId, 1L, 0, title, text, Map.of());
        store.upsert(List.of(new EmbeddedChunk(chunk, embedder.model(), embedder.dimension(),
                embedder.embedAll(List.of(text)).getFirst())));
    }

    private JsonNode search(String body, int status) throws Exception {
        HttpResponse<String> response = post(gateway, "/v1/search", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json(response);
    }

    private static HttpResponse<String> post(GatewayServer target, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(target, path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(GatewayServer target, String path) {
        return URI.create("http://127.0.0.1:" + target.port() + path);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    private static JsonNode hit(JsonNode body, String chunkId) {
        return StreamSupport.stream(body.get("hits").spliterator(), false)
                .filter(hit -> hit.get("chunk_id").asText().equals(chunkId)).findFirst().orElseThrow();
    }

    private static List<String> ids(JsonNode hits) {
        return StreamSupport.stream(hits.spliterator(), false).map(hit -> hit.get("chunk_id").asText()).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Bag-of-words vectors (a word's hash picks its dimension), counting the questions it embeds. */
    private static final class CountingEmbedder implements Embedder {
        final AtomicInteger questions = new AtomicInteger();
        volatile boolean broken;

        @Override
        public String model() {
            return "counting";
        }

        @Override
        public int dimension() {
            return 16;
        }

        @Override
        public List<float[]> embedAll(List<String> passages) {
            return passages.stream().map(CountingEmbedder::embed).toList();
        }

        @Override
        public float[] embedQuery(String query) {
            if (broken) {
                throw new IllegalStateException("the model is broken (test)");
            }
            questions.incrementAndGet();
            return embed(query);
        }

        private static float[] embed(String text) {
            float[] vector = new float[16];
            for (String word : text.toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
                if (!word.isEmpty()) {
                    vector[Math.floorMod(word.hashCode(), 16)] += 1;
                }
            }
            vector[15] += 0.01f; // no zero vector
            return vector;
        }
    }

    /** A store whose copy predates the keyword side: keyword and hybrid searches are refused. */
    private record NoKeywordSide(VectorStore inner) implements VectorStore {

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<SearchHit> search(StoreQuery query) {
            if (query.mode().usesKeywords()) {
                throw new SearchModeUnavailableException(name(), query.mode(),
                        "its copy has no keyword side; run faro rebuild " + name());
            }
            return inner.search(query);
        }

        @Override
        public void upsert(List<EmbeddedChunk> batch) {
            inner.upsert(batch);
        }

        @Override
        public void delete(Collection<String> chunkIds) {
            inner.delete(chunkIds);
        }

        @Override
        public void deleteDocument(String docId) {
            inner.deleteDocument(docId);
        }

        @Override
        public String liveModel() {
            return inner.liveModel();
        }

        @Override
        public long count() {
            return inner.count();
        }

        @Override
        public void visitVersions(int pageSize, Consumer<List<ChunkVersion>> page) {
            inner.visitVersions(pageSize, page);
        }

        @Override
        public StoredDocument describe(String docId) {
            return inner.describe(docId);
        }

        @Override
        public boolean isReachable() {
            return inner.isReachable();
        }

        @Override
        public void close() {
        }
    }
}
