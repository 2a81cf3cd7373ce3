package io.faro.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.json.Json;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.rerank.RerankException;
import io.faro.core.rerank.Reranker;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.SearchMode;
import io.faro.core.store.StoreQuery;
import io.faro.core.testing.InMemoryVectorStore;
import io.faro.gateway.search.Reranking;
import io.faro.gateway.answer.ExtractiveAnswerer;
import io.faro.gateway.documents.DocumentIntake;
import io.faro.gateway.health.Health;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The optional reranker over HTTP, end to end: the gateway fetches the candidates, has them reordered within the
 * deadline, returns the best {@code top_k} and says whether the reranker set the order; on a timeout, a failure or
 * a malformed answer the fused order stands, and says why.
 */
class RerankingTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int CANDIDATES = 6;
    private static final Duration DEADLINE = Duration.ofMillis(300);

    private final HashingEmbedder embedder = new HashingEmbedder();
    private final InMemoryVectorStore store = new InMemoryVectorStore("pgvector");
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScriptedReranker reranker = new ScriptedReranker();
    private GatewayServer gateway;

    @BeforeEach
    void start() {
        for (int i = 0; i < 8; i++) {
            index("doc" + i, "Baking " + i, "bread dough number " + i + " rises with yeast" + " and flour".repeat(i));
        }
        gateway = GatewayServer.start(FaroConfig.from(Env.of(Map.of())).withPorts(0, 0, 0),
                new GatewayServer.Dependencies(new Embedders(model -> embedder), embedder.model(), store,
                        Optional.empty(), new ExtractiveAnswerer(), new Health(), meters, DocumentIntake.readOnly(),
                        Optional.of(new Reranking(reranker, DEADLINE, CANDIDATES))));
    }

    @AfterEach
    void stop() {
        reranker.release();
        gateway.close();
        meters.close();
    }

    @Test
    void shouldReorderTheCandidatesByTheRerankersScoresAndReturnTheBestTopK() throws Exception {
        // given a reranker that likes the fused order backwards (the later a candidate, the higher its score)
        reranker.rule((query, texts) -> IntStream.range(0, texts.size()).mapToObj(i -> (double) i).toList());
        List<String> fused = fusedOrder("bread yeast", CANDIDATES);

        // when two hits are asked for
        JsonNode body = search("{\"query\": \"bread yeast\", \"top_k\": 2}");

        // then the store was asked for the candidates, all went to the reranker, and its best two come back
        assertThat(store.lastTopK()).isEqualTo(CANDIDATES);
        assertThat(reranker.texts).hasSize(CANDIDATES);
        assertThat(ids(body)).containsExactly(fused.get(5), fused.get(4));
        assertThat(body.get("hits").get(0).get("score").asDouble()).isCloseTo(5.0, within(1e-9));
        assertThat(body.get("hits").get(1).get("score").asDouble()).isCloseTo(4.0, within(1e-9));
        assertThat(body.get("reranked").asBoolean()).isTrue();
        assertThat(fieldNames(body)).doesNotContain("rerank_error");
        assertThat(fieldNames(body.get("timings_ms"))).contains("embed", "pgvector", "rerank", "total");
    }

    @Test
    void shouldGiveTheRerankerTheQuestionAndEachPassageWithItsTitle() throws Exception {
        reranker.rule((query, texts) -> texts.stream().map(text -> 1.0).toList());

        search("{\"query\": \"bread yeast\", \"top_k\": 1}");

        assertThat(reranker.query).isEqualTo("bread yeast");
        assertThat(reranker.texts)
                .allSatisfy(text -> assertThat(text).startsWith("Baking ").contains("\n\nbread dough"));
        assertThat(reranker.deadline).isEqualTo(DEADLINE);
    }

    @Test
    void shouldRerankAsManyAsTopKWhenItExceedsTheCandidates() throws Exception {
        reranker.rule((query, texts) -> texts.stream().map(text -> (double) text.length()).toList());

        JsonNode body = search("{\"query\": \"bread\", \"top_k\": 8}");

        assertThat(store.lastTopK()).isEqualTo(8);
        assertThat(reranker.texts).hasSize(8);
        List<Double> scores = StreamSupport.stream(body.get("hits").spliterator(), false)
                .map(hit -> hit.get("score").asDouble()).toList();
        assertThat(scores).hasSize(8).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void shouldKeepTheFusedOrderAndSaySoWhenTheRerankerMissesTheDeadline() throws Exception {
        // given a reranker that does not answer until the test lets it
        reranker.rule((query, texts) -> texts.stream().map(text -> 1.0).toList());
        reranker.hold();
        List<String> fused = fusedOrder("bread yeast", 3);

        // when
        JsonNode body = search("{\"query\": \"bread yeast\", \"top_k\": 3}");

        // then the answer came at the deadline, in the store's order, saying why
        assertThat(ids(body)).containsExactlyElementsOf(fused);
        assertThat(body.get("reranked").asBoolean()).isFalse();
        assertThat(body.get("rerank_error").asText()).startsWith("timeout:").contains("300 ms")
                .contains("FARO_RERANK_TIMEOUT_MS");
        assertThat(failures("timeout")).isEqualTo(1.0);
        assertThat(failures("error")).isZero();
    }

    @Test
    void shouldKeepTheFusedOrderWhenTheRerankerFails() throws Exception {
        reranker.failWith(new RerankException(RerankException.Reason.ERROR, "scripted answered HTTP 500"));
        List<String> fused = fusedOrder("bread", 2);

        JsonNode body = search("{\"query\": \"bread\", \"top_k\": 2}");

        assertThat(ids(body)).containsExactlyElementsOf(fused);
        assertThat(body.get("reranked").asBoolean()).isFalse();
        assertThat(body.get("rerank_error").asText()).isEqualTo("error: scripted answered HTTP 500");
        assertThat(failures("error")).isEqualTo(1.0);
    }

    @Test
    void shouldKeepTheFusedOrderWhenTheRerankerFailsUnexpectedly() throws Exception {
        reranker.failWith(new IllegalStateException("bug in the reranker"));

        JsonNode body = search("{\"query\": \"bread\", \"top_k\": 2}");

        assertThat(body.get("reranked").asBoolean()).isFalse();
        assertThat(body.get("rerank_error").asText()).startsWith("error: scripted failed");
    }

    @Test
    void shouldKeepTheFusedOrderWhenTheRerankerScoresTheWrongNumberOfPassages() throws Exception {
        reranker.rule((query, texts) -> List.of(1.0));
        List<String> fused = fusedOrder("bread", 2);

        JsonNode body = search("{\"query\": \"bread\", \"top_k\": 2}");

        assertThat(ids(body)).containsExactlyElementsOf(fused);
        assertThat(body.get("rerank_error").asText()).startsWith("malformed:").contains("1 scores for 6 passages");
        assertThat(failures("malformed")).isEqualTo(1.0);
    }

    @Test
    void shouldRerankTheSourcesOfAnAnswerInEveryMode() throws Exception {
        reranker.rule((query, texts) -> IntStream.range(0, texts.size()).mapToObj(i -> (double) i).toList());

        for (SearchMode mode : SearchMode.values()) {
            JsonNode body = Json.mapper().readTree(post("/v1/query",
                    "{\"question\": \"bread\", \"top_k\": 1, \"mode\": \"" + mode.wireName() + "\"}").body());

            assertThat(body.get("mode").asText()).isEqualTo(mode.wireName());
            assertThat(body.get("reranked").asBoolean()).as(mode.wireName()).isTrue();
            assertThat(body.get("sources")).hasSize(1);
            assertThat(body.get("sources").get(0).get("score").asDouble()).isEqualTo(reranker.texts.size() - 1.0);
        }
    }

    @Test
    void shouldExportRerankLatencyAndFailuresAtZeroBeforeTheFirst() throws Exception {
        reranker.rule((query, texts) -> texts.stream().map(text -> 1.0).toList());

        search("{\"query\": \"bread\"}");

        String scrape = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(scrape).contains("faro_rerank_seconds_count{outcome=\"ok\"} 1");
        for (String reason : List.of("timeout", "error", "malformed")) {
            assertThat(scrape).contains("faro_rerank_failures_total{reason=\"" + reason + "\"} 0.0");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The ids of the store's own first {@code n} (dense) hits for the question: the order before reranking. */
    /** The order the store gives a search that names no mode (FARO_SEARCH_MODE's default). */
    private List<String> fusedOrder(String question, int n) {
        return store.search(new StoreQuery(FaroConfig.DEFAULT_SEARCH_MODE, HashingEmbedder.embed(question),
                question, n, MetadataFilter.NONE, false)).stream().map(SearchHit::chunkId).toList();
    }

    private double failures(String reason) {
        var counter = meters.find("faro_rerank_failures").tag("reason", reason).counter();
        return counter == null ? -1 : counter.count();
    }

    private void index(String docId, String title, String text) {
        Chunk chunk = new Chunk(Chunk.idOf(docId, 0), docId, 1L, 0, title, text, Map.of());
        store.upsert(List.of(new EmbeddedChunk(chunk, embedder.model(), embedder.dimension(),
                embedder.embedAll(List.of(text)).getFirst())));
    }

    private JsonNode search(String body) throws Exception {
        HttpResponse<String> response = post("/v1/search", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> ids(JsonNode body) {
        return StreamSupport.stream(body.get("hits").spliterator(), false)
                .map(hit -> hit.get("chunk_id").asText()).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A reranker whose scores, failures and pace the test decides; it records what it was asked. */
    private static final class ScriptedReranker implements Reranker {
        private volatile BiFunction<String, List<String>, List<Double>> rule = (query, texts) -> List.of();
        private volatile RuntimeException failure;
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private final AtomicInteger calls = new AtomicInteger();
        volatile String query;
        volatile List<String> texts = List.of();
        volatile Duration deadline;

        void rule(BiFunction<String, List<String>, List<Double>> scores) {
            this.rule = scores;
        }

        void failWith(RuntimeException e) {
            this.failure = e;
        }

        void hold() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public List<Double> rerank(String question, List<String> passages, Duration wait) {
            calls.incrementAndGet();
            query = question;
            texts = passages;
            deadline = wait;
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RerankException(RerankException.Reason.TIMEOUT, "interrupted");
            }
            if (failure != null) {
                throw failure;
            }
            return rule.apply(question, passages);
        }
    }
}
