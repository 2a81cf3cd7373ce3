package io.faro.bench.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway's {@code POST /v1/search}, as any HTTP client calls it (HTTP/1.1, kept-alive connections).
 *
 * <p>The JDK's {@link java.net.HttpURLConnection}: it sends and reads on the caller's thread and keeps the
 * connection for the caller's next request. The JDK's asynchronous {@code HttpClient} hands each exchange
 * between the caller, its selector thread and its executor: on a 2-core machine its threads took about
 * 0.33 ms of CPU per request, a third of what the gateway was found to add to a search, beside the gateway on
 * the same cores. A load generator should cost as little as it can.
 */
public final class SearchClient {

    private static final int TIMEOUT_MS = 30_000;

    static {
        // the JDK keeps 5 idle connections to a server unless told otherwise; a caller beyond that would connect
        // anew for each request
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "256");
        }
    }

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
            HttpURLConnection http = (HttpURLConnection) URI.create(gatewayUrl + route).toURL().openConnection();
            http.setConnectTimeout(TIMEOUT_MS);
            http.setReadTimeout(TIMEOUT_MS);
            http.setRequestMethod("POST");
            http.setDoOutput(true);
            http.setRequestProperty("Content-Type", "application/json");
            headers.forEach(http::setRequestProperty);
            byte[] request = Json.mapper().writeValueAsBytes(body);
            http.setFixedLengthStreamingMode(request.length);
            try (OutputStream out = http.getOutputStream()) {
                out.write(request);
            }
            int status = http.getResponseCode();
            // read to the end and closed, so that the connection is kept for the next request
            try (InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
                byte[] answer = in == null ? new byte[0] : in.readAllBytes();
                if (status != 200) {
                    throw new IllegalStateException(route + " answered " + status + ": "
                            + new String(answer, StandardCharsets.UTF_8));
                }
                return Json.mapper().readTree(answer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(route + " failed: " + e.getMessage(), e);
        }
    }

    /** The hits' texts, best first. */
    public static List<String> texts(JsonNode answer) {
        List<String> texts = new ArrayList<>();
        answer.path("hits").forEach(hit -> texts.add(hit.path("text").asText()));
        return texts;
    }
}
