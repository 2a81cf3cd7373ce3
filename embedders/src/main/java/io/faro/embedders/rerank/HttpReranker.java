package io.faro.embedders.rerank;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faro.core.config.FaroConfig.RerankEndpoint;
import io.faro.core.config.FaroConfig.RerankFormat;
import io.faro.core.json.Json;
import io.faro.core.rerank.RerankException;
import io.faro.core.rerank.RerankException.Reason;
import io.faro.core.rerank.Reranker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A reranking endpoint over HTTP, in one of the two shapes servers speak ({@link RerankFormat}):
 * <ul>
 *   <li>{@code cohere}: {@code POST {model, query, documents}} answered by
 *       {@code {results: [{index, relevance_score}, ...]}}, best first. Cohere ({@code /v2/rerank},
 *       {@code /v1/rerank}), Jina ({@code /v1/rerank}), Infinity, vLLM ({@code /rerank}, {@code /v1/rerank},
 *       {@code /v2/rerank}) and others that copy Cohere's API speak it. No {@code top_n} is sent: every passage is
 *       scored.</li>
 *   <li>{@code tei}: Hugging Face Text Embeddings Inference, {@code POST /rerank {query, texts, truncate}}
 *       answered by {@code [{index, score}, ...]}.</li>
 * </ul>
 * The API key goes in {@code Authorization: Bearer}, and nowhere else: not in {@link #name()}, not in an error. The
 * whole call, the body read included, is bounded by the deadline.
 */
public final class HttpReranker implements Reranker {

    /** How much of a refusal's body an error quotes. */
    private static final int QUOTED_CHARS = 300;

    private final RerankEndpoint endpoint;
    private final URI uri;
    private final HttpClient http;

    private HttpReranker(RerankEndpoint endpoint, HttpClient http) {
        this.endpoint = endpoint;
        this.uri = URI.create(endpoint.url());
        this.http = http;
    }

    public static HttpReranker create(RerankEndpoint endpoint) {
        return new HttpReranker(endpoint, HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    @Override
    public String name() {
        return endpoint.format().name().toLowerCase(java.util.Locale.ROOT) + " reranker at " + uri.getHost()
                + endpoint.model().map(model -> " (" + model + ")").orElse("");
    }

    @Override
    public List<Double> rerank(String query, List<String> texts, Duration deadline) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(deadline)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(query, texts), StandardCharsets.UTF_8));
        endpoint.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key.reveal()));
        HttpResponse<String> response = send(request.build(), deadline);
        if (response.statusCode() / 100 != 2) {
            throw new RerankException(Reason.ERROR, name() + " answered HTTP " + response.statusCode() + ": "
                    + quoted(response.body()));
        }
        return scores(response.body(), texts.size());
    }

    private String body(String query, List<String> texts) {
        ObjectNode body = Json.mapper().createObjectNode();
        if (endpoint.format() == RerankFormat.COHERE) {
            endpoint.model().ifPresent(model -> body.put("model", model));
            body.put("query", query);
            texts.forEach(body.putArray("documents")::add);
        } else {
            body.put("query", query);
            texts.forEach(body.putArray("texts")::add);
            body.put("truncate", true); // a passage over the model's length is cut, not refused
        }
        return body.toString();
    }

    private HttpResponse<String> send(HttpRequest request, Duration deadline) {
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return call.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw timeout(deadline);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                throw timeout(deadline);
            }
            throw new RerankException(Reason.ERROR, name() + " cannot be reached: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new RerankException(Reason.TIMEOUT, "interrupted while waiting for " + name(), e);
        }
    }

    private RerankException timeout(Duration deadline) {
        return new RerankException(Reason.TIMEOUT, name() + " did not answer within " + deadline.toMillis() + " ms");
    }

    /** Each text's score, in the texts' order, from a body that must score every one of them exactly once. */
    private List<Double> scores(String body, int count) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed("its answer is not JSON: " + e.getOriginalMessage());
        }
        boolean cohere = endpoint.format() == RerankFormat.COHERE;
        JsonNode results = cohere ? root.path("results") : root;
        String scoreField = cohere ? "relevance_score" : "score";
        if (!(results instanceof ArrayNode)) {
            throw malformed(cohere ? "its answer has no 'results' array" : "its answer is not an array");
        }
        Double[] scores = new Double[count];
        for (JsonNode result : results) {
            JsonNode index = result.path("index");
            JsonNode score = result.path(scoreField);
            if (!index.isIntegralNumber() || !score.isNumber()) {
                throw malformed("a result lacks a whole 'index' or a numeric '" + scoreField + "': "
                        + quoted(result.toString()));
            }
            int i = index.intValue();
            if (i < 0 || i >= count || scores[i] != null) {
                throw malformed("a result has index " + i + ", out of 0.." + (count - 1) + " or given twice");
            }
            scores[i] = score.doubleValue();
        }
        long scored = Arrays.stream(scores).filter(java.util.Objects::nonNull).count();
        if (scored != count) {
            throw malformed("it scored " + scored + " of " + count + " passages");
        }
        return new ArrayList<>(Arrays.asList(scores));
    }

    private RerankException malformed(String what) {
        return new RerankException(Reason.MALFORMED, name() + " answered, but " + what);
    }

    private static String quoted(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= QUOTED_CHARS ? flat : flat.substring(0, QUOTED_CHARS) + "...";
    }

    @Override
    public void close() {
        http.close();
    }
}
