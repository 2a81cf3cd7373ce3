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
    private final URI search;

    public SearchClient(String gatewayUrl) {
        this.search = URI.create(gatewayUrl + "/v1/search");
    }

    /** The answer's JSON; fails on any status but 200. */
    public JsonNode search(String query, int topK) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(search)
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(
                                    Map.of("query", query, "top_k", topK))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/v1/search answered " + response.statusCode() + ": "
                        + response.body());
            }
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("/v1/search failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during /v1/search", e);
        }
    }

    /** The hits' texts, best first. */
    public static List<String> texts(JsonNode answer) {
        List<String> texts = new ArrayList<>();
        answer.path("hits").forEach(hit -> texts.add(hit.path("text").asText()));
        return texts;
    }
}
