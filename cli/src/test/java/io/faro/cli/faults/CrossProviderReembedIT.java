package io.faro.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.cli.reembed.ReembedCommand;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.embed.EmbeddingModelName;
import io.faro.core.json.Json;
import io.faro.embedders.onnx.OnnxEmbedder;
import io.faro.embedders.testing.EmbeddingsStandIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code faro reembed} across providers: stores filled by a hosted model (the OpenAI stand-in, serving
 * all-MiniLM's vectors so that questions find their passages) move to the in-process model and back, and
 * questions are answered from each.
 */
class CrossProviderReembedIT {

    private static final Duration QUIET = Duration.ofSeconds(120);
    private static final String HOSTED = "openai:text-embedding-3-small";
    private static final String LOCAL = EmbeddingModelName.ALL_MINILM_L6_V2.id();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private EmbeddingsStandIn api;
    private DualStoreFaro env;

    @BeforeEach
    void start() throws Exception {
        Embedder minilm = OnnxEmbedder.create(EmbeddingModelName.ALL_MINILM_L6_V2);
        api = EmbeddingsStandIn.start(minilm.dimension()).model(text -> minilm.embedAll(List.of(text)).getFirst());
        env = DualStoreFaro.start("crossprovider", Map.of(
                FaroConfig.EMBEDDING_PROVIDER, "openai",
                FaroConfig.EMBEDDING_BASE_URL, api.baseUrl(),
                FaroConfig.EMBEDDING_MODEL, "text-embedding-3-small",
                FaroConfig.EMBEDDING_DIMENSION, Integer.toString(minilm.dimension())));
        env.publish("doc", 6);
        env.assertConsistent(QUIET);
    }

    @AfterEach
    void stop() {
        if (env != null) {
            env.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldMoveBothStoresFromTheHostedModelToTheLocalOneAndBack() throws Exception {
        assertThat(env.models()).containsOnly(HOSTED);
        int liveChunks = env.checker.liveChunks().size();

        assertThat(reembed(LOCAL)).contains("pgvector: switched from model " + HOSTED + " to " + LOCAL)
                .contains("qdrant: switched from model " + HOSTED + " to " + LOCAL)
                .contains(FaroConfig.EMBEDDING_MODEL + "=" + LOCAL);
        assertThat(env.models()).containsOnly(LOCAL);
        // the gateway loads the model a store was switched to within seconds, off the request path
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(topHit("what guides ships at night?")).containsIgnoringCase("lighthouse"));

        int answeredBefore = api.textsAnswered();
        assertThat(reembed(HOSTED)).contains("pgvector: switched from model " + LOCAL + " to " + HOSTED)
                .contains("qdrant: switched from model " + LOCAL + " to " + HOSTED);
        assertThat(env.models()).containsOnly(HOSTED);
        assertThat(api.textsAnswered() - answeredBefore).as("every live chunk embedded by the hosted model again")
                .isGreaterThanOrEqualTo(liveChunks);
        assertThat(topHit("what guides ships at night?")).containsIgnoringCase("lighthouse");
    }

    private String reembed(String model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = ReembedCommand.run(env.config, model, false, false, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(ByteArrayOutputStream.nullOutputStream()));
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private String topHit(String query) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(env.faro.gatewayUrl() + "/v1/search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(
                        Map.of("query", query, "top_k", 1))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode hits = Json.mapper().readTree(response.body()).get("hits");
        assertThat(hits).isNotEmpty();
        return hits.get(0).get("text").asText();
    }
}
