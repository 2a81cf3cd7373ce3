package io.faro.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.config.ConfigException;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.embed.Embedders;
import io.faro.core.json.Json;
import io.faro.core.testing.InMemoryVectorStore;
import io.faro.gateway.GatewayServer;
import io.faro.gateway.HashingEmbedder;
import io.faro.gateway.answer.ExtractiveAnswerer;
import io.faro.gateway.health.Health;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real gateway on 127.0.0.1 with API keys on: every refusal (401, 403, 429, 503, 413) with its problem body and
 * headers, the roles of each route, health and metrics open, and each refusal counted under the key's id.
 */
class GatewayAuthTest {

    private static final String SEARCH = "{\"query\": \"kafka\"}";
    private static HttpClient http;

    @TempDir
    Path dir;

    private final String queryKey = ApiKey.mint();
    private final String publishKey = ApiKey.mint();
    private final String slowKey = ApiKey.mint();
    private final String tinyKey = ApiKey.mint();
    private final List<GatewayServer> servers = new ArrayList<>();
    private PrometheusMeterRegistry meters;
    private Path keysFile;

    @BeforeAll
    static void client() {
        java.util.logging.Logger.getLogger("io.helidon").setLevel(java.util.logging.Level.WARNING);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void closeClient() {
        http.close();
    }

    @BeforeEach
    void keys() throws IOException {
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        keysFile = dir.resolve("keys.jsonl");
        Files.writeString(keysFile, String.join("\n",
                "# FARO API keys: one JSON object a line",
                ApiKeyFile.line("search-ui", queryKey, "acme", Set.of(Role.QUERY), Set.of("eng")),
                ApiKeyFile.line("ingest-job", publishKey, "acme", Set.of(Role.PUBLISH), Set.of()),
                "{\"id\":\"slow\",\"sha256\":\"" + ApiKey.hashHex(slowKey)
                        + "\",\"tenant\":\"acme\",\"roles\":[\"query\"],\"concurrency\":1}",
                "{\"id\":\"tiny\",\"sha256\":\"" + ApiKey.hashHex(tinyKey)
                        + "\",\"tenant\":\"acme\",\"roles\":[\"query\"],\"rate_per_s\":1,\"burst\":1}",
                ""));
    }

    @AfterEach
    void stop() {
        servers.forEach(GatewayServer::close);
        meters.close();
    }

    @Test
    void shouldAnswer401WithChallengeAndProblemWhenNoCredentialIsSent() throws Exception {
        GatewayServer gateway = start(Map.of());

        HttpResponse<String> response = send(gateway, "POST", "/v1/search", SEARCH, Map.of());

        assertProblem(response, 401, "/problems/unauthenticated");
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"faro\"");
        assertThat(json(response).get("detail").asText()).contains("X-API-Key").contains("Authorization: Bearer");
        assertThat(counted(scrape(gateway), "unauthenticated", "unknown")).isEqualTo(1);
    }

    @Test
    void shouldAnswer401WithInvalidTokenForAnUnknownKeyAndNeverCountTheKey() throws Exception {
        GatewayServer gateway = start(Map.of());
        String wrong = ApiKey.mint();

        HttpResponse<String> response = send(gateway, "POST", "/v1/search", SEARCH, bearer(wrong));

        assertProblem(response, 401, "/problems/unauthenticated");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer realm=\"faro\", error=\"invalid_token\"");
        String metrics = scrape(gateway);
        assertThat(counted(metrics, "unauthenticated", "unknown")).isEqualTo(1);
        assertThat(metrics).doesNotContain(wrong);
    }

    @Test
    void shouldTakeTheKeyAsBearerOrAsXApiKeyButNotBothAtOnce() throws Exception {
        GatewayServer gateway = start(Map.of());

        assertThat(send(gateway, "POST", "/v1/search", SEARCH, bearer(queryKey)).statusCode()).isEqualTo(200);
        assertThat(send(gateway, "POST", "/v1/search", SEARCH, Map.of("X-API-Key", queryKey)).statusCode())
                .isEqualTo(200);
        Map<String, String> both = new HashMap<>(bearer(queryKey));
        both.put("X-API-Key", queryKey);
        assertProblem(send(gateway, "POST", "/v1/search", SEARCH, both), 401, "/problems/unauthenticated");
        assertProblem(send(gateway, "POST", "/v1/search", SEARCH, Map.of("Authorization", "Basic " + queryKey)),
                401, "/problems/unauthenticated");
    }

    @Test
    void shouldKeepQueryingAndPublishingApartBy403() throws Exception {
        GatewayServer gateway = start(Map.of());

        // a query key reads, and may not publish or delete
        assertThat(send(gateway, "POST", "/v1/query", "{\"question\": \"kafka?\"}", bearer(queryKey)).statusCode())
                .isEqualTo(200);
        assertThat(send(gateway, "GET", "/v1/documents/missing", null, bearer(queryKey)).statusCode())
                .isEqualTo(404);
        HttpResponse<String> upload = send(gateway, "POST", "/v1/documents", "{\"id\":\"a\",\"text\":\"b\"}",
                bearer(queryKey));
        assertProblem(upload, 403, "/problems/forbidden");
        assertThat(json(upload).get("detail").asText()).contains("search-ui").contains("publish");
        assertProblem(send(gateway, "DELETE", "/v1/documents/a", null, bearer(queryKey)), 403, "/problems/forbidden");

        // a publish key passes to the upload routes (this gateway takes none: 405) and may not search or read
        assertThat(send(gateway, "DELETE", "/v1/documents/a", null, bearer(publishKey)).statusCode()).isEqualTo(405);
        assertProblem(send(gateway, "POST", "/v1/search", SEARCH, bearer(publishKey)), 403, "/problems/forbidden");
        assertProblem(send(gateway, "GET", "/v1/documents/a", null, bearer(publishKey)), 403, "/problems/forbidden");

        String metrics = scrape(gateway);
        assertThat(counted(metrics, "forbidden", "search-ui")).isEqualTo(2);
        assertThat(counted(metrics, "forbidden", "ingest-job")).isEqualTo(2);
    }

    @Test
    void shouldLeaveHealthMetricsAndTheApiDocumentOpenAndAnswerUnknownPathsOnlyToCallers() throws Exception {
        GatewayServer gateway = start(Map.of());

        assertThat(send(gateway, "GET", "/health/live", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(send(gateway, "GET", "/health/ready", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(send(gateway, "GET", "/metrics", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(send(gateway, "GET", "/openapi", null, Map.of()).statusCode()).isEqualTo(200);
        assertProblem(send(gateway, "GET", "/admin", null, Map.of()), 401, "/problems/unauthenticated");
        assertProblem(send(gateway, "GET", "/admin", null, bearer(publishKey)), 404, "/problems/not-found");
    }

    @Test
    void shouldAnswer429WithRetryAfterOverTheKeysRate() throws Exception {
        GatewayServer gateway = start(Map.of());

        // one request a second, bursts of one: of five sent one after the other (well within four seconds), the
        // first is served and at least one is refused
        assertThat(send(gateway, "POST", "/v1/search", SEARCH, bearer(tinyKey)).statusCode()).isEqualTo(200);
        List<HttpResponse<String>> next = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            next.add(send(gateway, "POST", "/v1/search", SEARCH, bearer(tinyKey)));
        }
        HttpResponse<String> refused = next.stream().filter(r -> r.statusCode() != 200).findFirst().orElseThrow();

        assertProblem(refused, 429, "/problems/rate-limited");
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        // another key is not slowed by it
        assertThat(send(gateway, "POST", "/v1/search", SEARCH, bearer(queryKey)).statusCode()).isEqualTo(200);
        assertThat(counted(scrape(gateway), "rate-limited", "tiny")).isPositive();
    }

    @Test
    void shouldAnswer503WithRetryAfterOverTheKeysConcurrency() throws Exception {
        // given the slow key's one request held inside the gateway
        CountDownLatch release = new CountDownLatch(1);
        GatewayServer gateway = start(Map.of(), new HashingEmbedder().heldUntil(release));
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(request(gateway, "POST", "/v1/search", SEARCH,
                bearer(slowKey)), HttpResponse.BodyHandlers.ofString());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.inFlight() == 1);

        // when it sends another
        HttpResponse<String> second = send(gateway, "POST", "/v1/search", SEARCH, bearer(slowKey));
        release.countDown();

        // then that one is refused at once, and the first is served
        assertProblem(second, 503, "/problems/too-many-concurrent-requests");
        assertThat(second.headers().firstValue("Retry-After")).contains("1");
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(send(gateway, "POST", "/v1/search", SEARCH, bearer(slowKey)).statusCode()).isEqualTo(200);
        assertThat(counted(scrape(gateway), "concurrency", "slow")).isEqualTo(1);
    }

    @Test
    void shouldCountA413UnderTheKeyThatSentTheBody() throws Exception {
        GatewayServer gateway = start(Map.of(FaroConfig.MAX_REQUEST_BYTES, "1024"));

        HttpResponse<String> response = send(gateway, "POST", "/v1/search",
                "{\"query\": \"" + "a".repeat(2000) + "\"}", bearer(queryKey));

        assertProblem(response, 413, "/problems/payload-too-large");
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> counted(scrape(gateway), "too-large", "search-ui") == 1);
    }

    @Test
    void shouldTakeAKeyAddedToTheFileWithoutARestart() throws Exception {
        GatewayServer gateway = start(Map.of());
        String later = ApiKey.mint();
        assertThat(send(gateway, "POST", "/v1/search", SEARCH, bearer(later)).statusCode()).isEqualTo(401);

        Files.writeString(keysFile, ApiKeyFile.line("later", later, "acme", Set.of(Role.QUERY), Set.of()) + "\n",
                java.nio.file.StandardOpenOption.APPEND);

        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() ->
                send(gateway, "POST", "/v1/search", SEARCH, bearer(later)).statusCode() == 200);
    }

    @Test
    void shouldTakeOidcTokensBesideApiKeysWithTheirRoles() throws Exception {
        try (TestIssuer issuer = new TestIssuer()) {
            GatewayServer gateway = start(issuer.variables());
            String token = issuer.token(claims -> claims);
            String expired = issuer.token(claims -> claims.expirationTime(java.util.Date.from(
                    java.time.Instant.now().minusSeconds(3600))));

            assertThat(send(gateway, "POST", "/v1/search", SEARCH, bearer(token)).statusCode()).isEqualTo(200);
            assertThat(send(gateway, "POST", "/v1/search", SEARCH, bearer(queryKey)).statusCode()).isEqualTo(200);
            assertProblem(send(gateway, "DELETE", "/v1/documents/a", null, bearer(token)), 403, "/problems/forbidden");
            HttpResponse<String> refused = send(gateway, "POST", "/v1/search", SEARCH, bearer(expired));
            assertProblem(refused, 401, "/problems/unauthenticated");
            assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("error=\"invalid_token\"");
            String metrics = scrape(gateway);
            assertThat(counted(metrics, "forbidden", "oidc:search-spa")).isEqualTo(1);
            assertThat(metrics).doesNotContain(token).doesNotContain(expired);
        }
    }

    @Test
    void shouldRefuseToStartOpenBeyondLoopbackUnlessToldOff() {
        assertThatThrownBy(() -> CallerGate.create(FaroConfig.from(Env.of(Map.of())).auth(), "0.0.0.0", meters))
                .isInstanceOf(ConfigException.class).hasMessageContaining(FaroConfig.API_KEYS_FILE)
                .hasMessageContaining("FARO_AUTH=off");
        CallerGate.create(FaroConfig.from(Env.of(Map.of(FaroConfig.AUTH, "off"))).auth(), "0.0.0.0", meters);
        CallerGate.create(FaroConfig.from(Env.of(Map.of())).auth(), "127.0.0.1", meters);
    }

    @Test
    void shouldRefuseToStartWithAKeyFileThatDoesNotRead() throws IOException {
        Files.writeString(keysFile, "{\"id\":\"x\",\"sha256\":\"" + queryKey + "\",\"tenant\":\"a\",\"roles\":[\"query\"]}\n");

        assertThatThrownBy(() -> start(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1").hasMessageContaining("never the key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(queryKey));
    }

    // ---------------------------------------------------------------- helpers

    private GatewayServer start(Map<String, String> env) {
        return start(env, new HashingEmbedder());
    }

    private GatewayServer start(Map<String, String> env, Embedder questions) {
        Map<String, String> vars = new HashMap<>(env);
        vars.put(FaroConfig.HTTP_HOST, "127.0.0.1");
        vars.put(FaroConfig.API_KEYS_FILE, keysFile.toString());
        FaroConfig config = FaroConfig.from(Env.of(vars)).withPorts(0, 0, 0);
        GatewayServer gateway = GatewayServer.start(config, new GatewayServer.Dependencies(
                new Embedders(model -> questions), questions.model(), new InMemoryVectorStore("pgvector"),
                Optional.empty(), new ExtractiveAnswerer(), new Health(), meters));
        servers.add(gateway);
        return gateway;
    }

    private static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    private static HttpRequest request(GatewayServer gateway, String method, String path, String body,
                                       Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        headers.forEach(builder::header);
        return builder.build();
    }

    private static HttpResponse<String> send(GatewayServer gateway, String method, String path, String body,
                                             Map<String, String> headers) throws IOException, InterruptedException {
        return http.send(request(gateway, method, path, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode body = json(response);
        assertThat(body.get("type").asText()).isEqualTo(type);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("detail").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("io.faro.");
    }

    /** The rejection counter's value for this reason and key, 0 when it is not exported. */
    private static double counted(String scrape, String reason, String keyId) {
        String series = "faro_http_rejections_total{key_id=\"" + keyId + "\",reason=\"" + reason + "\"} ";
        return scrape.lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).sum();
    }

    private static String scrape(GatewayServer gateway) throws IOException, InterruptedException {
        return send(gateway, "GET", "/metrics", null, Map.of()).body();
    }
}
