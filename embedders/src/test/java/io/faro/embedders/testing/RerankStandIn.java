package io.faro.embedders.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * A stand-in for a reranking endpoint on 127.0.0.1, in either shape FARO speaks:
 * <ul>
 *   <li>{@link Format#COHERE}: {@code POST /v2/rerank {model, query, documents, top_n?, return_documents?}}
 *       answered as Cohere answers, {@code {id, results: [{index, relevance_score, document?}], meta}}, best
 *       first; like Cohere it wants a model and a bearer key (401 without it), and refuses a body without a query
 *       or documents with 400 and a {@code message}.</li>
 *   <li>{@link Format#TEI}: {@code POST /rerank {query, texts, truncate?, raw_scores?, return_text?}} answered as
 *       Text Embeddings Inference answers, {@code [{index, score, text?}]}, best first; 422 with an {@code error}
 *       for a body it cannot read.</li>
 * </ul>
 * Scores come from a rule the test sets (by default the share of the query's words a passage holds). Tests script
 * further replies (an HTTP error, an answer held until released, malformed answers) and see every request.
 */
public final class RerankStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The API a stand-in speaks. */
    public enum Format { COHERE, TEI }

    /** One request as received. */
    public record Received(Map<String, List<String>> headers, JsonNode body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    /** What to answer to one request, instead of its scores. */
    public sealed interface Reply permits Status, Held, Malformed {
    }

    /** An HTTP error with a JSON body as the server writes it. */
    public record Status(int code) implements Reply {
    }

    /** The answer waits until {@link #release()} (a slow or hung model). */
    public record Held() implements Reply {
    }

    /** A 200 whose body is not what the API promises. */
    public record Malformed(Kind kind) implements Reply {
        public enum Kind { NOT_JSON, NO_RESULTS, SOME_SCORED, INDEX_OUT_OF_RANGE }
    }

    private final HttpServer server;
    private final Format format;
    private final String path;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch held = new CountDownLatch(1);
    private volatile BiFunction<String, String, Double> rule = RerankStandIn::sharedWords;
    private volatile String apiKey;

    private RerankStandIn(Format format) throws IOException {
        this.format = format;
        this.path = format == Format.COHERE ? "/v2/rerank" : "/rerank";
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(path, this::handle);
        server.start();
    }

    public static RerankStandIn start(Format format) throws IOException {
        return new RerankStandIn(format);
    }

    /** The endpoint's full URL, as FARO_RERANK_URL takes it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Requests without {@code Authorization: Bearer key} are refused with 401. */
    public RerankStandIn apiKey(String key) {
        this.apiKey = key;
        return this;
    }

    /** Scores each passage by this rule of (query, passage) instead. */
    public RerankStandIn rule(BiFunction<String, String, Double> scores) {
        this.rule = scores;
        return this;
    }

    /** Replies for the next requests, in order; then requests are scored again. */
    public RerankStandIn then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Lets held answers go. */
    public void release() {
        held.countDown();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The share of the query's words (lower-cased) that the passage holds. */
    public static double sharedWords(String query, String passage) {
        List<String> asked = words(query);
        List<String> held = words(passage);
        return asked.isEmpty() ? 0 : (double) asked.stream().filter(held::contains).count() / asked.size();
    }

    private static List<String> words(String text) {
        return List.of(text.toLowerCase(Locale.ROOT).split("\\W+")).stream().filter(w -> !w.isEmpty()).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                error(exchange, 405, "method not allowed");
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody());
            } catch (IOException e) {
                error(exchange, format == Format.COHERE ? 400 : 422, "invalid JSON: " + e.getMessage());
                return;
            }
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (apiKey != null && !("Bearer " + apiKey).equals(authorization)) {
                error(exchange, 401, "invalid api token");
                return;
            }
            Reply reply = script.poll();
            if (reply instanceof Held) {
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                reply = null;
            }
            switch (reply) {
                case Status status -> error(exchange, status.code(), "stand-in says " + status.code());
                case Malformed malformed -> send(exchange, 200, malformed(malformed.kind()));
                case null, default -> answer(exchange, body);
            }
        }
    }

    private void answer(HttpExchange exchange, JsonNode body) throws IOException {
        String passagesField = format == Format.COHERE ? "documents" : "texts";
        JsonNode query = body.get("query");
        JsonNode passages = body.get(passagesField);
        if (format == Format.COHERE && (body.get("model") == null || !body.get("model").isTextual())) {
            error(exchange, 400, "invalid request: model must be specified");
            return;
        }
        if (query == null || !query.isTextual() || passages == null || !passages.isArray() || passages.isEmpty()) {
            error(exchange, format == Format.COHERE ? 400 : 422, "invalid request: 'query' and a non-empty '"
                    + passagesField + "' are required");
            return;
        }
        List<String> texts = new ArrayList<>();
        passages.forEach(passage -> texts.add(passage.asText()));
        List<Integer> best = IntStream.range(0, texts.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> rule.apply(query.asText(), texts.get(i))).reversed())
                .toList();
        if (format == Format.COHERE) {
            int topN = body.path("top_n").asInt(texts.size());
            ObjectNode answer = JSON.createObjectNode().put("id", UUID.randomUUID().toString());
            ArrayNode results = answer.putArray("results");
            for (int i : best.subList(0, Math.min(topN, best.size()))) {
                ObjectNode result = results.addObject().put("index", i)
                        .put("relevance_score", rule.apply(query.asText(), texts.get(i)));
                if (body.path("return_documents").asBoolean(false)) {
                    result.putObject("document").put("text", texts.get(i));
                }
            }
            answer.putObject("meta").putObject("billed_units").put("search_units", 1);
            send(exchange, 200, answer.toString());
        } else {
            ArrayNode answer = JSON.createArrayNode();
            for (int i : best) {
                ObjectNode rank = answer.addObject().put("index", i)
                        .put("score", rule.apply(query.asText(), texts.get(i)));
                if (body.path("return_text").asBoolean(false)) {
                    rank.put("text", texts.get(i));
                }
            }
            send(exchange, 200, answer.toString());
        }
    }

    private String malformed(Malformed.Kind kind) {
        String score = format == Format.COHERE ? "relevance_score" : "score";
        String results = switch (kind) {
            case NOT_JSON -> null;
            case NO_RESULTS -> "[]";
            case SOME_SCORED -> "[{\"index\": 0, \"" + score + "\": 0.9}]";
            case INDEX_OUT_OF_RANGE -> "[{\"index\": 99, \"" + score + "\": 0.9}]";
        };
        if (results == null) {
            return "<html>Bad Gateway</html>";
        }
        if (kind == Malformed.Kind.NO_RESULTS) {
            return format == Format.COHERE ? "{\"id\": \"x\"}" : "{\"error\": \"no\"}";
        }
        return format == Format.COHERE ? "{\"id\": \"x\", \"results\": " + results + "}" : results;
    }

    private void error(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (format == Format.COHERE) {
            body.put("message", message);
        } else {
            body.put("error", message).put("error_type", status == 422 ? "Validation" : "Backend");
        }
        send(exchange, status, body.toString());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
