package io.faro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.access.DocumentKey;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.json.Json;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.VectorStore;
import io.faro.devstack.testing.TestPostgres;
import io.faro.embedders.openai.OpenAiChatClients;
import io.faro.gateway.answer.Answerer;
import io.faro.gateway.answer.Answerers;
import io.faro.gateway.answer.ExtractiveAnswerer;
import io.faro.gateway.answer.OpenAiStandInAccess;
import io.faro.gateway.health.Health;
import io.faro.stores.pgvector.PgVectorStore;
import io.faro.stores.qdrant.QdrantStore;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-tenant probes through the gateway, with Qdrant (the stand-in) as the primary and a real pgvector as the
 * shadow and fallback. Two tenants hold a document with the same id, and one tenant holds a document only its
 * {@code hr} group may see; the foreign chunks are the nearest to the question, so a scope applied after top-k,
 * or not at all, would show. Each probe expects zero foreign chunks, and the same answer from either store.
 */
class TenantIsolationIT {

    private static final String CALLER = TestCallers.HEADER;
    private static final String QUESTION = "what is the launch plan for the comet project";

    private final HashingEmbedder embedder = new HashingEmbedder();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private QdrantStandIn qdrant;
    private VectorStore primary;
    private VectorStore shadow;
    private OpenAiStandInAccess llm;
    private GatewayServer gateway;
    private GatewayServer open;
    @TempDir
    Path keyDir;
    private PrometheusMeterRegistry meters;

    @BeforeEach
    void twoTenants() throws Exception {
        String name = "tenants_" + System.nanoTime() % 1_000_000;
        qdrant = QdrantStandIn.start();
        closing.add(qdrant);
        primary = QdrantStore.open(qdrant.url(), Optional.empty(), name, embedder.model(), embedder.dimension(),
                Duration.ofSeconds(2));
        shadow = PgVectorStore.open(TestPostgres.url(), name, embedder.model(), embedder.dimension());
        closing.add(primary);
        closing.add(shadow);
        // the foreign documents are the question's nearest neighbours
        index("globex", "plan", List.of(), "globex secret: " + QUESTION);
        index("acme", "salaries", List.of("hr"), "acme salaries: " + QUESTION + " budget");
        index("acme", "plan", List.of(), "acme plan: the comet launch is in spring", "acme plan: rockets fly far");
        index("default", "plan", List.of(), "default plan: the comet launch for everyone");
        llm = new OpenAiStandInAccess();
        closing.add(llm);
        llm.answers("It launches in spring [1].");
        Path keys = TestCallers.keyFile(keyDir, "acme", "acme:hr", "acme:eng", "globex");
        FaroConfig config = FaroConfig.from(Env.of(Map.of(FaroConfig.LLM_BASE_URL, llm.baseUrl(),
                FaroConfig.LLM_MODEL, "gpt-test", FaroConfig.LLM_API_KEY, "sk-test",
                FaroConfig.SHADOW_SAMPLE_RATE, "1.0", FaroConfig.SHADOW_TIMEOUT_MS, "10000",
                FaroConfig.API_KEYS_FILE, keys.toString())))
                .withPorts(0, 0, 0);
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Answerer answerer = Answerers.create(config.llm(), OpenAiChatClients::create, meters);
        gateway = GatewayServer.start(config, new GatewayServer.Dependencies(new Embedders(model -> embedder),
                embedder.model(), primary, Optional.of(shadow), answerer, new Health(), meters));
        closing.add(gateway);
        // beside it, over the same stores, a gateway with authentication off: its callers see everything
        PrometheusMeterRegistry openMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        open = GatewayServer.start(FaroConfig.from(Env.of(Map.of())).withPorts(0, 0, 0),
                new GatewayServer.Dependencies(new Embedders(model -> embedder), embedder.model(), primary,
                        Optional.of(shadow), new ExtractiveAnswerer(), new Health(), openMeters));
        closing.add(open);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        http.close();
    }

    @Test
    void shouldSearchOnlyTheCallersTenantAndGroupsOnQdrantAndOnTheShadowAlike() throws Exception {
        JsonNode acme = search("acme", 5);

        assertThat(acme.get("served_by").asText()).isEqualTo("qdrant");
        assertThat(tenants(acme)).containsOnly("acme");
        assertThat(docIds(acme)).containsOnly("plan");
        assertThat(chunkIds(acme)).containsExactlyInAnyOrder(DocumentKey.of("acme", "plan") + "#0",
                DocumentKey.of("acme", "plan") + "#1");
        // the shadow searched with the same scope: an unscoped pgvector top-k would hold the foreign chunks
        DistributionSummary overlap = meters.get(MetricNames.SEARCH_OVERLAP_RATIO).summary();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> overlap.count() == 1);
        assertThat(overlap.totalAmount()).isEqualTo(1.0);

        JsonNode hr = search("acme:hr", 5);
        assertThat(tenants(hr)).containsOnly("acme");
        assertThat(docIds(hr)).contains("salaries", "plan");

        JsonNode globex = search("globex", 5);
        assertThat(tenants(globex)).containsOnly("globex");
        assertThat(chunkIds(globex)).containsExactly(DocumentKey.of("globex", "plan") + "#0");

        JsonNode everyone = search(null, 10);
        assertThat(tenants(everyone)).containsExactlyInAnyOrder("globex", "acme", "acme", "acme", "default");
    }

    @Test
    void shouldAnswerTheSameFromTheFallbackWhenQdrantIsDown() throws Exception {
        Set<String> fromQdrant = chunkIds(search("acme", 5));
        Set<String> fromQdrantHr = chunkIds(search("acme:hr", 5));

        qdrant.failAll(true);
        JsonNode acme = search("acme", 5);

        assertThat(acme.get("served_by").asText()).isEqualTo("pgvector");
        assertThat(acme.get("degraded").asBoolean()).isTrue();
        assertThat(chunkIds(acme)).isEqualTo(fromQdrant);
        assertThat(tenants(acme)).containsOnly("acme");
        assertThat(chunkIds(search("acme:hr", 5))).isEqualTo(fromQdrantHr);
        assertThat(tenants(search("globex", 5))).containsOnly("globex");
    }

    @Test
    void shouldGiveTheLlmOnlyTheChunksTheCallerMaySee() throws Exception {
        JsonNode answer = post("/v1/query", "acme", "{\"question\":\"" + QUESTION + "\",\"top_k\":5}");

        assertThat(answer.get("answer").asText()).contains("spring");
        String context = String.join("\n", llm.userMessages());
        assertThat(context).contains("acme plan").doesNotContain("globex secret").doesNotContain("acme salaries")
                .doesNotContain("default plan");
        assertThat(answer.get("sources")).allSatisfy(source ->
                assertThat(source.get("tenant").asText()).isEqualTo("acme"));
        assertThat(answer.get("citations").get(0).get("doc_id").asText()).isEqualTo("plan");
        assertThat(answer.get("citations").get(0).get("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void shouldDescribeADocumentInTheCallersTenantOnly() throws Exception {
        HttpResponse<String> acme = get("/v1/documents/plan", "acme");
        assertThat(acme.statusCode()).isEqualTo(200);
        JsonNode view = Json.mapper().readTree(acme.body());
        assertThat(view.get("tenant").asText()).isEqualTo("acme");
        assertThat(view.get("chunk_count").asInt()).isEqualTo(2);
        assertThat(view.get("stores").get("qdrant").get("chunk_ids").toString()).doesNotContain("globex");
        assertThat(view.get("stores").get("pgvector").get("chunk_count").asInt()).isEqualTo(2);

        HttpResponse<String> globex = get("/v1/documents/plan", "globex");
        assertThat(Json.mapper().readTree(globex.body()).get("chunk_count").asInt()).isEqualTo(1);
        assertThat(get("/v1/documents/plan?tenant=globex", "acme").statusCode()).isEqualTo(403);
        assertThat(get("/v1/documents/plan?tenant=globex", null).statusCode()).isEqualTo(200);

        // a document the caller's groups may not see is not there for it, on either store
        HttpResponse<String> hidden = get("/v1/documents/salaries", "acme:eng");
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(hidden.body()).contains("problems/not-found");
        assertThat(get("/v1/documents/salaries", "acme:hr").statusCode()).isEqualTo(200);
        qdrant.failAll(true);
        assertThat(get("/v1/documents/salaries", "acme:eng").statusCode()).isEqualTo(404);
        assertThat(get("/v1/documents/salaries", "acme:hr").statusCode()).isEqualTo(200);
    }

    private void index(String tenant, String id, List<String> acl, String... texts) {
        String key = DocumentKey.of(tenant, id);
        List<EmbeddedChunk> batch = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            Chunk chunk = new Chunk(Chunk.idOf(key, i), key, 1L, i, id, texts[i], Map.of(), acl);
            batch.add(new EmbeddedChunk(chunk, embedder.model(), embedder.dimension(), embedder.embedQuery(texts[i])));
        }
        primary.upsert(batch);
        shadow.upsert(batch);
    }

    private JsonNode search(String caller, int topK) throws Exception {
        return post("/v1/search", caller, "{\"query\":\"" + QUESTION + "\",\"top_k\":" + topK + "}");
    }

    private JsonNode post(String path, String caller, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + portFor(caller) + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (caller != null) {
            request.header(CALLER, caller);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private HttpResponse<String> get(String path, String caller) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + portFor(caller) + path))
                .timeout(Duration.ofSeconds(20)).GET();
        if (caller != null) {
            request.header(CALLER, caller);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A caller's requests go to the gateway that knows its key; no caller: the one with authentication off. */
    private int portFor(String caller) {
        return caller == null ? open.port() : gateway.port();
    }

    private static List<String> tenants(JsonNode response) {
        List<String> tenants = new ArrayList<>();
        response.get("hits").forEach(hit -> tenants.add(hit.get("tenant").asText()));
        return tenants;
    }

    private static Set<String> docIds(JsonNode response) {
        Set<String> ids = new HashSet<>();
        response.get("hits").forEach(hit -> ids.add(hit.get("doc_id").asText()));
        return ids;
    }

    private static Set<String> chunkIds(JsonNode response) {
        Set<String> ids = new HashSet<>();
        response.get("hits").forEach(hit -> ids.add(hit.get("chunk_id").asText()));
        return ids;
    }
}
