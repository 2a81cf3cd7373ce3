package io.faro.gateway.answer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for an OpenAI-compatible server on 127.0.0.1: {@code POST /v1/chat/completions}, whole answers
 * and {@code stream: true} server-sent events ({@code data: {...}} chunks, a usage chunk, {@code data: [DONE]}),
 * as OpenAI sends them. It records every request (headers and body) so tests can see what reached the model,
 * and plays the replies it is given in order (then the default one): answers, errors with
 * {@code Retry-After}, slow answers, malformed JSON, streams cut in the middle or streams that never end.
 */
final class OpenAiStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received, with when it arrived. */
    record Received(Map<String, List<String>> headers, String body, long nanoTime) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        String message(String role) {
            for (JsonNode message : json().get("messages")) {
                if (role.equals(message.get("role").asText())) {
                    return message.get("content").asText();
                }
            }
            throw new IllegalStateException("no " + role + " message in " + body);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    /** What to answer to one request. */
    sealed interface Reply {
    }

    record Answer(String text, int promptTokens, int completionTokens) implements Reply {
    }

    record Status(int code, String retryAfter) implements Reply {
    }

    record Slow(Duration delay, Reply then) implements Reply {
    }

    record Malformed() implements Reply {
    }

    /** Streams the first {@code pieces} words of the text, then closes the connection without {@code [DONE]}. */
    record CutStream(String text, int pieces) implements Reply {
    }

    /** Streams a word every {@code every} until the client closes the connection. */
    record EndlessStream(Duration every) implements Reply {
    }

    static Reply answer(String text) {
        return new Answer(text, 321, 45);
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private volatile Reply fallback = answer("The sources do not answer the question.");

    OpenAiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    OpenAiStandIn then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    OpenAiStandIn always(Reply reply) {
        fallback = reply;
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Streams the client closed before the end. */
    int closedByClient() {
        return closedByClient.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Received request = new Received(Map.copyOf(exchange.getRequestHeaders()), body, System.nanoTime());
        received.add(request);
        Reply reply = script.poll();
        try (exchange) {
            play(exchange, request, reply == null ? fallback : reply);
        }
    }

    private void play(HttpExchange exchange, Received request, Reply reply) throws IOException {
        boolean stream = request.json().path("stream").asBoolean(false);
        String model = request.json().path("model").asText();
        switch (reply) {
            case Slow slow -> {
                try {
                    Thread.sleep(slow.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                play(exchange, request, slow.then());
            }
            case Status status -> {
                if (status.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", status.retryAfter());
                }
                send(exchange, status.code(), "application/json",
                        "{\"error\":{\"message\":\"stand-in says " + status.code() + "\",\"type\":\"server_error\"}}");
            }
            case Malformed malformed -> send(exchange, 200, "application/json", "{\"id\": \"chatcmpl-1\", \"choices\": [");
            case Answer answer when !stream -> send(exchange, 200, "application/json", completion(model, answer));
            case Answer answer -> streamWords(exchange, model, words(answer.text()), answer, true, Duration.ZERO);
            case CutStream cut -> streamWords(exchange, model, words(cut.text()).subList(0, cut.pieces()), null, false,
                    Duration.ZERO);
            case EndlessStream endless -> {
                List<String> forever = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    forever.add("word" + i + " ");
                }
                streamWords(exchange, model, forever, null, false, endless.every());
            }
        }
    }

    private void streamWords(HttpExchange exchange, String model, List<String> pieces, Answer end, boolean done,
                             Duration every) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            event(out, chunk(model, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
            for (String piece : pieces) {
                event(out, chunk(model, JSON.createObjectNode().put("content", piece), null));
                if (!every.isZero()) {
                    Thread.sleep(every);
                }
            }
            if (done) {
                event(out, chunk(model, JSON.createObjectNode(), "stop"));
                ObjectNode usage = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                        .put("created", 1).put("model", model);
                usage.putArray("choices");
                usage.set("usage", usage(end));
                event(out, JSON.writeValueAsString(usage));
                event(out, "[DONE]");
            }
        } catch (IOException closed) {
            closedByClient.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.split("(?<= )")) {
            words.add(word);
        }
        return words;
    }

    private static String chunk(String model, ObjectNode delta, String finishReason) throws IOException {
        ObjectNode chunk = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                .put("created", 1).put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        return JSON.writeValueAsString(chunk);
    }

    private static String completion(String model, Answer answer) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
                .put("created", 1).put("model", model);
        ArrayNode choices = body.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", answer.text());
        body.set("usage", usage(answer));
        return JSON.writeValueAsString(body);
    }

    private static ObjectNode usage(Answer answer) {
        return JSON.createObjectNode().put("prompt_tokens", answer.promptTokens())
                .put("completion_tokens", answer.completionTokens())
                .put("total_tokens", answer.promptTokens() + answer.completionTokens());
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
