package io.faro.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.json.Json;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.testing.InMemoryVectorStore;
import io.faro.gateway.answer.ExtractiveAnswerer;
import io.faro.gateway.documents.DocumentIntake;
import io.faro.gateway.documents.DocumentPublisher;
import io.faro.gateway.documents.Rejections;
import io.faro.gateway.health.Health;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every JSON route of a real gateway refuses a body with a field it does not take, or with a key named twice,
 * with a 400 problem that names the field, before anything is searched or published; the free-form members
 * ({@code filter}, {@code metadata}) take any key.
 */
class StrictRequestTest {

    private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

    private static final List<String> published = new CopyOnWriteArrayList<>();
    private static PrometheusMeterRegistry meters;
    private static GatewayServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        HELIDON_LOG.setLevel(Level.WARNING);
        HashingEmbedder embedder = new HashingEmbedder();
        InMemoryVectorStore store = new InMemoryVectorStore("pgvector");
        String text = "A lighthouse guides ships at night";
        store.upsert(List.of(new EmbeddedChunk(new Chunk(Chunk.idOf("lighthouses", 0), "lighthouses", 1L, 0,
                "Lighthouses", text, Map.of("lang", "en")), embedder.model(), embedder.dimension(),
                embedder.embedAll(List.of(text)).getFirst())));
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = GatewayServer.start(FaroConfig.from(Env.of(Map.of())).withPorts(0, 0, 0),
                new GatewayServer.Dependencies(new Embedders(model -> embedder), embedder.model(), store,
                        Optional.empty(), new ExtractiveAnswerer(), new Health(), meters,
                        new DocumentIntake(Optional.of(new RecordingPublisher()), Rejections.none())));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
        meters.close();
    }

    @ParameterizedTest(name = "{0} refuses ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "/v1/search    | topK       | {\"query\": \"lighthouse\", \"topK\": 3}",
            "/v1/search    | tenant_id  | {\"query\": \"lighthouse\", \"filter\": {\"lang\": \"en\"}, \"tenant_id\": \"t\"}",
            "/v1/query     | stream     | {\"question\": \"what guides ships?\", \"stream\": true}",
            "/v1/query     | query      | {\"query\": \"what guides ships?\"}",
            "/v1/documents | author     | {\"id\": \"lighthouses\", \"text\": \"A lighthouse\", \"author\": \"me\"}",
            "/v1/documents | Title      | {\"id\": \"lighthouses\", \"text\": \"A lighthouse\", \"Title\": \"L\"}",
    })
    void shouldRefuseAFieldTheRouteDoesNotTakeNamingIt(String path, String field, String body) throws Exception {
        // given a body that is right but for one field the route does not know; when it is posted
        HttpResponse<String> response = post(path, body);

        // then the answer is a 400 problem that names the field and what the route takes, and nothing was published
        JsonNode problem = assertInvalidRequest(response);
        assertThat(problem.get("detail").asText()).contains("unknown field '" + field + "'").contains("takes only");
        assertThat(problem.get("instance").asText()).isEqualTo(path);
        assertThat(published).isEmpty();
    }

    @ParameterizedTest(name = "{0} refuses ''{1}'' twice")
    @CsvSource(delimiter = '|', value = {
            "/v1/search    | query    | {\"query\": \"a\", \"query\": \"b\"}",
            "/v1/query     | top_k    | {\"question\": \"a\", \"top_k\": 1, \"top_k\": 2}",
            "/v1/documents | text     | {\"id\": \"d\", \"text\": \"a\", \"text\": \"b\"}",
            "/v1/search    | lang     | {\"query\": \"a\", \"filter\": {\"lang\": \"en\", \"lang\": \"fr\"}}",
    })
    void shouldRefuseAKeyNamedTwiceNamingIt(String path, String field, String body) throws Exception {
        // given a body with one key twice, at the top or inside a free-form object; when it is posted
        HttpResponse<String> response = post(path, body);

        // then it has no one meaning: a 400 that names the key
        assertThat(assertInvalidRequest(response).get("detail").asText()).contains("'" + field + "'");
        assertThat(published).isEmpty();
    }

    @Test
    void shouldTakeAnyMetadataKeyInAFilter() throws Exception {
        // given a filter on a key no route declares (the documents' own metadata); when searching with it
        HttpResponse<String> response = post("/v1/search",
                "{\"query\": \"lighthouse\", \"filter\": {\"lang\": \"en\"}, \"top_k\": 1}");

        // then the filter is applied, not refused
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(response.body()).get("hits").get(0).get("doc_id").asText())
                .isEqualTo("lighthouses");
    }

    @Test
    void shouldTakeAnyKeyInADocumentsMetadata() throws Exception {
        // given a document whose metadata has keys of the caller's own; when it is uploaded
        HttpResponse<String> response = post("/v1/documents",
                "{\"id\": \"glaciers\", \"text\": \"A glacier is a river of ice\", \"metadata\": {\"any-key\": 1}}");

        // then it is published as it is
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(published).hasSize(1);
        assertThat(Json.mapper().readTree(published.getFirst()).get("metadata").get("any-key").asInt()).isEqualTo(1);
        published.clear();
    }

    private static JsonNode assertInvalidRequest(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("/problems/invalid-request");
        assertThat(problem.get("title").asText()).isEqualTo("Invalid request");
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        return problem;
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Keeps what the gateway publishes, in memory: these tests are about what it refuses before Kafka. */
    private static final class RecordingPublisher implements DocumentPublisher {

        @Override
        public Published publish(String id, byte[] value) {
            published.add(new String(value, StandardCharsets.UTF_8));
            return new Published("faro.documents", 0, published.size() - 1L);
        }

        @Override
        public Published delete(String id) {
            throw new AssertionError("no test here deletes");
        }

        @Override
        public void close() {
        }
    }
}
