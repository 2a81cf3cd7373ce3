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
import io.faro.embedders.openai.OpenAiChatClients;
import io.faro.gateway.answer.Answerer;
import io.faro.gateway.answer.Answerers;
import io.faro.gateway.answer.ExtractiveAnswerer;
import io.faro.gateway.answer.LlmAnswerer;
import io.faro.gateway.answer.OpenAiStandInAccess;
import io.faro.gateway.health.Health;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/query} with an LLM configured, over HTTP, against a local OpenAI stand-in. */
class LlmQueryTest {

    private static final String KAFKA = "Kafka consumers rebalance partitions when a member joins the group";
    private static final String QUESTION = "{\"question\": \"kafka consumers rebalance partitions\", \"top_k\": 3}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private HashingEmbedder embedder;
    private InMemoryVectorStore store;
    private PrometheusMeterRegistry meters;
    private OpenAiStandInAccess llm;

    /** Helidon logs through java.util.logging; held here so its level is not lost to garbage collection. */
    private static final java.util.logging.Logger HELIDON_LOG = java.util.logging.Logger.getLogger("io.helidon");

    @BeforeAll
    static void quietHelidon() {
        HELIDON_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    @BeforeEach
    void corpus() throws Exception {
        embedder = new HashingEmbedder();
        store = new InMemoryVectorStore("pgvector");
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        index("kafka-guide", "Kafka Guide", KAFKA, "Kafka producers batch records before sending them to brokers");
        index("bread", "Bread", "Bread dough rises while yeast ferments the sugar in flour");
        llm = new OpenAiStandInAccess();
        closing.add(llm);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        http.close();
    }

    @Test
    void shouldAnswerWithAGeneratedCitedAnswer() throws Exception {
        // given
        llm.answers("Consumers rebalance when a member joins [1]. See also [7].");
        GatewayServer gateway = start(llmEnv(10_000, llm.baseUrl()));

        // when
        HttpResponse<String> response = post(gateway, QUESTION, "application/json");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.get("extractive").asBoolean()).isFalse();
        assertThat(body.get("answer").asText()).isEqualTo("Consumers rebalance when a member joins [1]. See also.");
        assertThat(body.get("citations")).hasSize(1);
        assertThat(body.get("citations").get(0).get("doc_id").asText()).isEqualTo("kafka-guide");
        assertThat(body.get("citations").get(0).get("chunk_id").asText()).isEqualTo("kafka-guide#0");
        assertThat(body.get("citations").get(0).get("title").asText()).isEqualTo("Kafka Guide");
        assertThat(body.get("llm_error").isNull()).isTrue();
        assertThat(body.get("llm").get("prompt_tokens").asInt()).isEqualTo(321);
        assertThat(body.get("llm").get("model").asText()).isEqualTo("gpt-test");
        assertThat(body.get("sources")).hasSize(3);
    }

    @Test
    void shouldAnswerExtractivelyWithTheReasonAndStatus200WhenEveryEndpointFails() throws Exception {
        // given two endpoints that both fail
        llm.fails(500);
        OpenAiStandInAccess second = new OpenAiStandInAccess();
        closing.add(second);
        second.fails(502);
        Map<String, String> env = llmEnv(10_000, llm.baseUrl());
        env.put(FaroConfig.LLM_FALLBACKS, second.baseUrl() + "|gpt-other");
        env.put(FaroConfig.LLM_MAX_RETRIES, "0");
        GatewayServer gateway = start(env);

        // when
        HttpResponse<String> response = post(gateway, QUESTION, "application/json");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.get("extractive").asBoolean()).isTrue();
        assertThat(body.get("answer").asText()).startsWith("\"" + KAFKA + "\" [1]");
        assertThat(body.get("llm_error").asText()).contains("HTTP 500").contains("HTTP 502");
        assertThat(llm.requests()).isEqualTo(1);
        assertThat(second.requests()).isEqualTo(1);
    }

    @Test
    void shouldStreamSourcesThenDeltasThenDone() throws Exception {
        // given
        llm.answers("Members join and the group rebalances [1].");
        GatewayServer gateway = start(llmEnv(10_000, llm.baseUrl()));

        // when
        HttpResponse<String> response = post(gateway, QUESTION, "text/event-stream");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<Event> events = events(response.body());
        List<String> names = events.stream().map(Event::name).toList();
        assertThat(names.getFirst()).isEqualTo("sources");
        assertThat(names.getLast()).isEqualTo("done");
        assertThat(names.subList(1, names.size() - 1)).hasSizeGreaterThan(1).containsOnly("delta");
        assertThat(events.getFirst().json().get("sources")).hasSize(3);
        String streamed = events.stream().filter(e -> e.name().equals("delta"))
                .map(e -> e.json().get("text").asText()).reduce("", String::concat);
        assertThat(streamed).isEqualTo("Members join and the group rebalances [1].");
        JsonNode done = events.getLast().json();
        assertThat(done.get("answer").asText()).isEqualTo(streamed);
        assertThat(done.get("extractive").asBoolean()).isFalse();
        assertThat(done.get("citations").get(0).get("ref").asInt()).isEqualTo(1);
        assertThat(done.get("llm").get("completion_tokens").asInt()).isEqualTo(45);
        assertThat(done.get("timings_ms").has("answer")).isTrue();
        assertThat(done.get("timings_ms").has("total")).isTrue();
    }

    @Test
    void shouldSendAnErrorThenTheExtractiveAnswerWhenTheStreamFails() throws Exception {
        // given
        llm.fails(500);
        Map<String, String> env = llmEnv(10_000, llm.baseUrl());
        env.put(FaroConfig.LLM_MAX_RETRIES, "0");
        GatewayServer gateway = start(env);

        // when
        List<Event> events = events(post(gateway, QUESTION, "text/event-stream").body());

        // then
        assertThat(events).extracting(Event::name).containsExactly("sources", "error", "done");
        assertThat(events.get(1).json().get("llm_error").asText()).contains("HTTP 500");
        assertThat(events.get(2).json().get("extractive").asBoolean()).isTrue();
        assertThat(events.get(2).json().get("answer").asText()).startsWith("\"" + KAFKA + "\" [1]");
    }

    @Test
    void shouldCancelTheUpstreamStreamWhenTheClientGoesAway() throws Exception {
        // given an endpoint that streams until someone stops it
        llm.streamsForever(Duration.ofMillis(20));
        GatewayServer gateway = start(llmEnv(60_000, llm.baseUrl()));

        // when a client reads the first piece of the answer and hangs up
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            byte[] body = QUESTION.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/query HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Accept: text/event-stream\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.contains("word1 "));
            assertThat(line).as("a delta arrived before hanging up").isNotNull();
        }

        // then the gateway closes its connection to the endpoint, which stops generating
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> llm.closedByClient() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.inFlight() == 0);
        // and a client going away is not counted as the LLM failing over to an extractive answer
        assertThat(meters.counter(io.faro.core.metrics.MetricNames.LLM_FALLBACKS, "to", "extractive").count())
                .isZero();
    }

    @Test
    void shouldStayExtractiveWithoutAnLlmBaseUrl() throws Exception {
        // given no FARO_LLM_BASE_URL
        FaroConfig config = FaroConfig.from(Env.of(Map.of(FaroConfig.LLM_MODEL, "gpt-test")));

        // when
        Answerer answerer = Answerers.create(config.llm(), OpenAiChatClients::create, meters);
        GatewayServer gateway = start(Map.of());
        JsonNode body = Json.mapper().readTree(post(gateway, QUESTION, "application/json").body());

        // then
        assertThat(answerer).isInstanceOf(ExtractiveAnswerer.class);
        assertThat(body.get("extractive").asBoolean()).isTrue();
        assertThat(body.get("llm_error").isNull()).isTrue();
        assertThat(llm.requests()).isZero();
        assertThat(Answerers.create(FaroConfig.from(Env.of(llmEnv(1_000, llm.baseUrl()))).llm(),
                OpenAiChatClients::create, meters)).isInstanceOf(LlmAnswerer.class);
    }

    // ---------------------------------------------------------------- helpers

    record Event(String name, String data) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(data);
            } catch (Exception e) {
                throw new IllegalStateException(data, e);
            }
        }
    }

    private static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
            if (name != null) {
                events.add(new Event(name, data.toString()));
            }
        }
        return events;
    }

    private static Map<String, String> llmEnv(int timeoutMs, String baseUrl) {
        Map<String, String> env = new HashMap<>();
        env.put(FaroConfig.LLM_BASE_URL, baseUrl);
        env.put(FaroConfig.LLM_MODEL, "gpt-test");
        env.put(FaroConfig.LLM_API_KEY, "sk-test");
        env.put(FaroConfig.LLM_TIMEOUT_MS, Integer.toString(timeoutMs));
        return env;
    }

    private GatewayServer start(Map<String, String> env) {
        FaroConfig config = FaroConfig.from(Env.of(env)).withPorts(0, 0, 0);
        Answerer answerer = Answerers.create(config.llm(), OpenAiChatClients::create, meters);
        GatewayServer gateway = GatewayServer.start(config, new GatewayServer.Dependencies(
                new Embedders(model -> embedder), embedder.model(), store, Optional.empty(), answerer, new Health(),
                meters));
        closing.add(gateway);
        return gateway;
    }

    private HttpResponse<String> post(GatewayServer gateway, String body, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + gateway.port() + "/v1/query"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void index(String docId, String title, String... texts) {
        List<EmbeddedChunk> batch = new ArrayList<>();
        List<float[]> vectors = embedder.embedAll(List.of(texts));
        for (int i = 0; i < texts.length; i++) {
            Chunk chunk = new Chunk(Chunk.idOf(docId, i), docId, 1L, i, title, texts[i], Map.of());
            batch.add(new EmbeddedChunk(chunk, embedder.model(), embedder.dimension(), vectors.get(i)));
        }
        store.upsert(batch);
    }
}
