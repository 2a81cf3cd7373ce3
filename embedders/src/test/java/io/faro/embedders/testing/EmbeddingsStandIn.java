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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for an OpenAI-compatible embeddings endpoint on 127.0.0.1: {@code POST /v1/embeddings} with
 * {@code input} as a string or an array of strings, {@code dimensions}, and {@code encoding_format} {@code float}
 * or {@code base64}, answered as OpenAI answers (a {@code list} of {@code embedding} objects by {@code index},
 * and {@code usage}). Like OpenAI it enforces requests- and tokens-per-minute limits when given them, refusing
 * with 429 and {@code Retry-After}, and refuses a text over the model's context length with 400 and an
 * {@code error.message}. Tests script further replies (errors with {@code Retry-After}, slow answers,
 * malformed JSON) and see every request, how many were under way at once, and when each came.
 *
 * <p>Vectors are a pure function of the text: by default a unit vector drawn from its SHA-256, so equal
 * texts get equal vectors; a test that needs meaningful vectors passes a model of its own.
 */
public final class EmbeddingsStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Received(Map<String, List<String>> headers, JsonNode body, long nanoTime) {

        public List<String> inputs() {
            JsonNode input = body.get("input");
            List<String> texts = new ArrayList<>();
            if (input.isTextual()) {
                texts.add(input.asText());
            } else {
                input.forEach(text -> texts.add(text.asText()));
            }
            return texts;
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    /** What to answer to one request, instead of its vectors. */
    public sealed interface Reply permits Status, Slow, Malformed {
    }

    public record Status(int code, String retryAfter) implements Reply {
    }

    public record Slow(Duration delay) implements Reply {
    }

    public record Malformed() implements Reply {
    }

    private final HttpServer server;
    private final int defaultDimension;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger underWay = new AtomicInteger();
    private final AtomicInteger mostUnderWay = new AtomicInteger();
    private final AtomicInteger refusedForLimits = new AtomicInteger();
    private volatile Function<String, float[]> model;
    private volatile Duration latency = Duration.ZERO;
    private volatile int maxTextTokens = 8_192;
    private volatile Limit requestLimit;
    private volatile Limit tokenLimit;

    private EmbeddingsStandIn(int dimension) throws IOException {
        this.defaultDimension = dimension;
        this.model = text -> hashVector(text, dimension);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1_024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/embeddings", this::handle);
        server.start();
    }

    /** A stand-in whose vectors have {@code dimension} numbers unless a request asks for fewer. */
    public static EmbeddingsStandIn start(int dimension) throws IOException {
        return new EmbeddingsStandIn(dimension);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Every answer takes this long (as a provider's round trip and model do). */
    public EmbeddingsStandIn latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** Vectors from this model instead of hashes. */
    public EmbeddingsStandIn model(Function<String, float[]> model) {
        this.model = model;
        return this;
    }

    /** Texts over this many tokens are refused with 400, as a model refuses text over its context length. */
    public EmbeddingsStandIn maxTextTokens(int tokens) {
        this.maxTextTokens = tokens;
        return this;
    }

    /** The provider's limits: beyond them, 429 with {@code Retry-After}. 0 for none. */
    public EmbeddingsStandIn limits(int requestsPerMinute, int tokensPerMinute) {
        this.requestLimit = requestsPerMinute > 0 ? new Limit(requestsPerMinute) : null;
        this.tokenLimit = tokensPerMinute > 0 ? new Limit(tokensPerMinute) : null;
        return this;
    }

    /** Replies for the next requests, in order; then requests are answered with vectors again. */
    public EmbeddingsStandIn then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Texts embedded and answered, over all requests. */
    public int textsAnswered() {
        return answered.get();
    }

    /** The most requests that were under way at one time. */
    public int mostUnderWay() {
        return mostUnderWay.get();
    }

    /** Requests refused with 429 for the limits. */
    public int refusedForLimits() {
        return refusedForLimits.get();
    }

    /** The stand-in's count of a text's tokens: about four characters each, as OpenAI's rule of thumb. */
    public static int tokens(String text) {
        return Math.max(1, (text.length() + 3) / 4);
    }

    private final AtomicInteger answered = new AtomicInteger();

    private void handle(HttpExchange exchange) throws IOException {
        int now = underWay.incrementAndGet();
        mostUnderWay.accumulateAndGet(now, Math::max);
        try (exchange) {
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody());
            } catch (IOException e) {
                error(exchange, 400, null, "We could not parse the JSON body of your request.", "invalid_request_error");
                return;
            }
            Received request = new Received(Map.copyOf(exchange.getRequestHeaders()), body, System.nanoTime());
            received.add(request);
            Reply reply = script.poll();
            if (reply instanceof Slow slow) {
                pause(slow.delay());
                reply = null;
            }
            pause(latency);
            switch (reply) {
                case Status status -> {
                    error(exchange, status.code(), status.retryAfter(), "stand-in says " + status.code(),
                            status.code() == 429 ? "rate_limit_exceeded" : "server_error");
                    return;
                }
                case Malformed malformed -> {
                    send(exchange, 200, "{\"object\": \"list\", \"data\": [");
                    return;
                }
                case null, default -> answer(exchange, request);
            }
        } finally {
            underWay.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange, Received request) throws IOException {
        List<String> inputs = request.inputs();
        int tokens = inputs.stream().mapToInt(EmbeddingsStandIn::tokens).sum();
        for (String input : inputs) {
            if (tokens(input) > maxTextTokens) {
                error(exchange, 400, null, "This model's maximum context length is " + maxTextTokens
                        + " tokens, however you requested " + tokens(input) + " tokens in your input.",
                        "invalid_request_error");
                return;
            }
        }
        Limit requests = requestLimit;
        Limit tokenBudget = tokenLimit;
        long waitMs = Math.max(requests == null ? 0 : requests.take(1), tokenBudget == null ? 0 : tokenBudget.take(tokens));
        if (waitMs > 0) {
            refusedForLimits.incrementAndGet();
            error(exchange, 429, Long.toString(Math.max(1, (waitMs + 999) / 1000)), "Rate limit reached for requests",
                    "rate_limit_exceeded");
            return;
        }
        int dimension = request.body().path("dimensions").asInt(defaultDimension);
        boolean base64 = "base64".equals(request.body().path("encoding_format").asText("float"));
        ObjectNode response = JSON.createObjectNode().put("object", "list");
        ArrayNode data = response.putArray("data");
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = model.apply(inputs.get(i));
            if (dimension < vector.length) {
                vector = shorten(vector, dimension);
            }
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : vector) {
                    bytes.putFloat(v);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode numbers = item.putArray("embedding");
                for (float v : vector) {
                    numbers.add(v);
                }
            }
        }
        response.put("model", request.body().path("model").asText());
        response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        answered.addAndGet(inputs.size());
        send(exchange, 200, JSON.writeValueAsString(response));
    }

    /** Like OpenAI's shortened vectors: the first numbers, normalised again. */
    private static float[] shorten(float[] vector, int dimension) {
        float[] shorter = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            shorter[i] = vector[i];
            norm += vector[i] * vector[i];
        }
        float scale = norm == 0 ? 1 : (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimension; i++) {
            shorter[i] *= scale;
        }
        return shorter;
    }

    /** A unit vector drawn from the text's SHA-256: equal texts, equal vectors. */
    public static float[] hashVector(String text, int dimension) {
        try {
            byte[] seed = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            java.util.SplittableRandom random = new java.util.SplittableRandom(ByteBuffer.wrap(seed).getLong());
            float[] vector = new float[dimension];
            double norm = 0;
            for (int i = 0; i < dimension; i++) {
                vector[i] = (float) (random.nextDouble() * 2 - 1);
                norm += vector[i] * vector[i];
            }
            float scale = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < dimension; i++) {
                vector[i] *= scale;
            }
            return vector;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void error(HttpExchange exchange, int status, String retryAfter, String message, String type)
            throws IOException {
        if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
        send(exchange, status, JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /**
     * A per-minute limit as providers enforce it: a budget that refills continuously and holds at most two
     * seconds' worth, so that a client may not spend a minute's worth in a burst.
     */
    private static final class Limit {
        private final double perNano;
        private final double capacity;
        private double available;
        private long last = System.nanoTime();

        Limit(int perMinute) {
            this.perNano = perMinute / 60e9;
            this.capacity = Math.max(1, perMinute / 30.0);
            this.available = capacity;
        }

        /** Takes {@code amount} and answers 0, or answers how many milliseconds until it could be taken. */
        synchronized long take(int amount) {
            long now = System.nanoTime();
            available = Math.min(capacity, available + (now - last) * perNano);
            last = now;
            double wanted = Math.min(amount, capacity);
            if (available >= wanted) {
                available -= wanted;
                return 0;
            }
            return (long) Math.ceil((wanted - available) / perNano / 1e6);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
