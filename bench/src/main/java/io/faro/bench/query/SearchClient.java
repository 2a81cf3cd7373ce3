package io.faro.bench.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The gateway's {@code POST /v1/search}, as any HTTP client calls it (HTTP/1.1, kept-alive connections). */
public final class SearchClient {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String gatewayUrl;
    private final Map<String, String> headers;

    public SearchClient(String gatewayUrl) {
        this(gatewayUrl, Map.of());
    }

    /** A client that sends these headers with every request, e.g. {@code Authorization: Bearer <key>}. */
    public SearchClient(String gatewayUrl, Map<String, String> headers) {
        this.gatewayUrl = gatewayUrl;
        this.headers = Map.copyOf(headers);
    }

    /** The answer's JSON; fails on any status but 200. */
    public JsonNode search(String query, int topK) {
        return post("/v1/search", Map.of("query", query, "top_k", topK));
    }

    /** The answer's JSON for a search in this mode ({@code dense}, {@code keyword}, {@code hybrid}). */
    public JsonNode search(String query, int topK, String mode) {
        return post("/v1/search", Map.of("query", query, "top_k", topK, "mode", mode));
    }

    /** {@code /v1/query}'s answer; fails on any status but 200. */
    public JsonNode query(String question, int topK) {
        return post("/v1/query", Map.of("question", question, "top_k", topK));
    }

    private JsonNode post(String route, Map<String, Object> body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gatewayUrl + route))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)));
            headers.forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(route + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(route + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + route, e);
        }
    }

    /** The hits' texts, best first. */
    public static List<String> texts(JsonNode answer) {
        List<String> texts = new ArrayList<>();
        answer.path("hits").forEach(hit -> texts.add(hit.path("text").asText()));
        return texts;
    }
}
