package io.faro.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.json.Json;
import io.faro.core.testing.InMemoryVectorStore;
import io.faro.gateway.GatewayServer;
import io.faro.gateway.HashingEmbedder;
import io.faro.gateway.TestCallers;
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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console as the gateway serves it, with API keys on: the page and its files load without a key, each with
 * its media type and a Content-Security-Policy that keeps the page to its own files and origin, while the API the
 * page calls still asks for one; {@code FARO_CONSOLE=false} takes the page away. The page's files on disk, the
 * ones the service serves and the ones the page's modules import are the same set, so none is left out.
 * (The page itself is tested in a browser, against the whole of FARO: the cli module's ConsolePageIT.)
 */
class ConsoleServiceTest {

    private static final Path SOURCES = Path.of("src", "main", "resources", ConsoleService.RESOURCES);
    private static final Pattern IMPORT = Pattern.compile("from '\\./([a-z-]+\\.js)'");
    private static final Pattern LINKED = Pattern.compile("(?:src|href)=\"/console/([a-z.-]+)\"");

    private static HttpClient http;

    @TempDir
    Path dir;

    private final List<GatewayServer> servers = new ArrayList<>();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

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

    @AfterEach
    void stop() {
        servers.forEach(GatewayServer::close);
        meters.close();
    }

    @Test
    void shouldServeThePageAndItsFilesWithoutAKeyWhileTheApiStillAsksForOne() throws Exception {
        // given a gateway that requires API keys
        GatewayServer gateway = start(Map.of(FaroConfig.API_KEYS_FILE, TestCallers.keyFile(dir, "acme").toString()));

        // when the page is loaded without a key
        HttpResponse<String> page = get(gateway, "/");

        // then it comes, as HTML, kept by its policy to its own files and origin
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(
                ConsoleService.CONTENT_SECURITY_POLICY);
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/console/console.js\"></script>");

        // and so does every file of it, each with its media type (a module script must be JavaScript to run)
        for (Map.Entry<String, String> file : ConsoleService.FILES.entrySet()) {
            if (file.getKey().equals(ConsoleService.INDEX)) {
                continue;
            }
            HttpResponse<String> served = get(gateway, "/console/" + file.getKey());
            assertThat(served.statusCode()).as(file.getKey()).isEqualTo(200);
            assertThat(served.headers().firstValue("Content-Type")).as(file.getKey()).hasValue(file.getValue());
            assertThat(served.body()).isEqualTo(Files.readString(SOURCES.resolve(file.getKey())));
        }

        // while the API the page calls answers 401 without a key, and serves the key's caller
        assertThat(send(gateway, "POST", "/v1/search", Map.of()).statusCode()).isEqualTo(401);
        assertThat(send(gateway, "POST", "/v1/search", Map.of(TestCallers.HEADER, "acme")).statusCode())
                .isEqualTo(200);
        // and the page's paths open nothing else: writing to them still needs a caller
        assertThat(send(gateway, "POST", "/", Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldAnswer404ProblemForAFileTheConsoleDoesNotHave() throws Exception {
        GatewayServer gateway = start(Map.of());

        for (String path : List.of("/console/nothing.js", "/console/../META-INF/openapi.yaml",
                "/console/index.html", "/console/")) {
            HttpResponse<String> response = get(gateway, path);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
            assertThat(Json.mapper().readTree(response.body()).get("type").asText()).isEqualTo("/problems/not-found");
        }
    }

    @Test
    void shouldServeNoPageWhenTheConsoleIsOff() throws Exception {
        GatewayServer gateway = start(Map.of(FaroConfig.CONSOLE, "false"));

        assertThat(get(gateway, "/").statusCode()).isEqualTo(404);
        assertThat(get(gateway, "/console/console.js").statusCode()).isEqualTo(404);
        assertThat(send(gateway, "POST", "/v1/search", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldServeEveryFileThePageUsesAndNoOther() throws IOException {
        // given the files of the console on disk
        Set<String> onDisk;
        try (Stream<Path> files = Files.list(SOURCES)) {
            onDisk = files.map(file -> file.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }

        // when the files the page links and its modules import are collected
        Set<String> used = new TreeSet<>(Set.of(ConsoleService.INDEX));
        used.addAll(matches(LINKED, Files.readString(SOURCES.resolve(ConsoleService.INDEX))));
        for (String file : onDisk) {
            if (file.endsWith(".js")) {
                used.addAll(matches(IMPORT, Files.readString(SOURCES.resolve(file))));
            }
        }

        // then the service serves exactly those, and each is on disk
        assertThat(ConsoleService.FILES.keySet()).containsExactlyInAnyOrderElementsOf(onDisk);
        assertThat(used).isEqualTo(onDisk);
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private GatewayServer start(Map<String, String> env) {
        Map<String, String> vars = new HashMap<>(env);
        vars.put(FaroConfig.HTTP_HOST, "127.0.0.1");
        HashingEmbedder embedder = new HashingEmbedder();
        GatewayServer gateway = GatewayServer.start(FaroConfig.from(Env.of(vars)).withPorts(0, 0, 0),
                new GatewayServer.Dependencies(new Embedders(model -> embedder), embedder.model(),
                        new InMemoryVectorStore("pgvector"), Optional.empty(), new ExtractiveAnswerer(), new Health(),
                        meters));
        servers.add(gateway);
        return gateway;
    }

    private static HttpResponse<String> get(GatewayServer gateway, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(GatewayServer gateway, String method, String path,
                                             Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("{\"query\": \"kafka\"}"));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
