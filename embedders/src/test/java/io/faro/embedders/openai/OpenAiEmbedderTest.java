package io.faro.embedders.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder.Outcome;
import io.faro.core.embed.EmbeddingException;
import io.faro.core.metrics.MetricNames;
import io.faro.embedders.testing.EmbeddingsStandIn;
import io.faro.embedders.testing.EmbeddingsStandIn.Malformed;
import io.faro.embedders.testing.EmbeddingsStandIn.Received;
import io.faro.embedders.testing.EmbeddingsStandIn.Slow;
import io.faro.embedders.testing.EmbeddingsStandIn.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiEmbedderTest {

    private static final int DIMENSION = 64;

    private EmbeddingsStandIn api;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws Exception {
        api = EmbeddingsStandIn.start(DIMENSION);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private OpenAiEmbedder embedder(Map<String, String> more) {
        Map<String, String> vars = new HashMap<>(Map.of(
                FaroConfig.EMBEDDING_PROVIDER, "openai",
                FaroConfig.EMBEDDING_BASE_URL, api.baseUrl(),
                FaroConfig.EMBEDDING_MODEL, "text-embedding-3-small",
                FaroConfig.EMBEDDING_DIMENSION, Integer.toString(DIMENSION),
                FaroConfig.EMBEDDING_API_KEY, "sk-test-key"));
        vars.putAll(more);
        FaroConfig config = FaroConfig.from(Env.of(vars));
        return new OpenAiEmbedder(config.embedding(), config.embedBatchSize(), meters);
    }

    private static List<String> texts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "passage number " + i + " about lighthouses").toList();
    }

    @Test
    void shouldEmbedEveryTextInOrderWithTheEndpointsVectors() {
        OpenAiEmbedder embedder = embedder(Map.of(FaroConfig.EMBED_BATCH_SIZE, "8"));

        List<float[]> vectors = embedder.embedAll(texts(20));

        assertThat(embedder.model()).isEqualTo("openai:text-embedding-3-small");
        assertThat(vectors).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(vectors.get(i)).containsExactly(EmbeddingsStandIn.hashVector(texts(20).get(i), DIMENSION));
        }
        assertThat(api.received()).extracting(r -> r.inputs().size()).containsExactlyInAnyOrder(8, 8, 4);
    }

    @Test
    void shouldSendTheKeyTheHeadersTheModelAndTheDimension() {
        OpenAiEmbedder embedder = embedder(Map.of(FaroConfig.EMBEDDING_HEADERS, "x-portkey-provider=openai"));

        embedder.embedQuery("what guides ships?");

        Received request = api.received().getFirst();
        assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test-key");
        assertThat(request.header("x-portkey-provider")).isEqualTo("openai");
        assertThat(request.body().get("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(request.body().get("dimensions").asInt()).isEqualTo(DIMENSION);
    }

    @Test
    void shouldKeepRequestsWithinTheTokenLimitPerRequest() {
        OpenAiEmbedder embedder = embedder(Map.of(FaroConfig.EMBED_BATCH_SIZE, "100",
                FaroConfig.EMBED_MAX_REQUEST_TOKENS, "256"));
        String longText = "word ".repeat(100); // about 100 tokens

        embedder.embedAll(List.of(longText, longText, longText, longText, longText));

        assertThat(api.received()).allSatisfy(r -> assertThat(r.inputs().size()).isLessThanOrEqualTo(2));
        assertThat(api.received().stream().mapToInt(r -> r.inputs().size()).sum()).isEqualTo(5);
    }

    @Test
    void shouldHaveSeveralRequestsInFlightButNoMoreThanTheSetting() {
        api.latency(Duration.ofMillis(300));
        OpenAiEmbedder embedder = embedder(Map.of(FaroConfig.EMBED_BATCH_SIZE, "2",
                FaroConfig.EMBED_REQUESTS_IN_FLIGHT, "3"));

        List<float[]> vectors = embedder.embedAsync(texts(18)).join().stream().map(Outcome::vector).toList();

        assertThat(vectors).hasSize(18).doesNotContainNull();
        assertThat(api.mostUnderWay()).isEqualTo(3);
        assertThat(meters.find(MetricNames.EMBEDDING_REQUESTS_IN_FLIGHT).gauge().value()).isZero();
    }

    @Test
    void shouldRetryA429AfterItsRetryAfterAndNeverRefuseTheTexts() {
        api.then(new Status(429, "1"), new Status(503, null), new Malformed());
        OpenAiEmbedder embedder = embedder(Map.of());

        long start = System.nanoTime();
        List<Outcome> outcomes = embedder.embedAsync(texts(3)).join();

        assertThat(outcomes).noneMatch(Outcome::isRefused).hasSize(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(api.received()).hasSize(4);
        assertThat(meters.find(MetricNames.EMBEDDING_FAILURES).tag(MetricNames.TAG_REASON, "rate-limited").counter()
                .count()).isEqualTo(1);
        assertThat(meters.find(MetricNames.EMBEDDING_FAILURES).tag(MetricNames.TAG_REASON, "server-error").counter()
                .count()).isEqualTo(1);
        assertThat(meters.find(MetricNames.EMBEDDING_FAILURES).tag(MetricNames.TAG_REASON, "bad-response").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void shouldRetryARequestThatTimesOut() {
        api.then(new Slow(Duration.ofSeconds(3)));
        OpenAiEmbedder embedder = embedder(Map.of(FaroConfig.EMBED_TIMEOUT_MS, "500"));

        List<Outcome> outcomes = embedder.embedAsync(texts(2)).join();

        assertThat(outcomes).noneMatch(Outcome::isRefused).hasSize(2);
        assertThat(meters.find(MetricNames.EMBEDDING_FAILURES).tag(MetricNames.TAG_REASON, "timeout").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void shouldRefuseOnlyTheTextTheEndpointRefusesWithItsReason() {
        api.maxTextTokens(50);
        OpenAiEmbedder embedder = embedder(Map.of());
        List<String> texts = List.of("a short passage", "far too long ".repeat(40), "another short one");

        List<Outcome> outcomes = embedder.embedAsync(texts).join();

        assertThat(outcomes.get(0).vector()).containsExactly(EmbeddingsStandIn.hashVector(texts.get(0), DIMENSION));
        assertThat(outcomes.get(1).isRefused()).isTrue();
        assertThat(outcomes.get(1).refusal()).contains("HTTP 400").contains("maximum context length is 50 tokens");
        assertThat(outcomes.get(2).vector()).containsExactly(EmbeddingsStandIn.hashVector(texts.get(2), DIMENSION));
        assertThatThrownBy(() -> embedder.embedAll(texts)).isInstanceOf(EmbeddingException.class)
                .hasMessageContaining("maximum context length");
    }

    @Test
    void shouldKeepToTheRequestsPerMinuteLimitSoTheProviderRefusesNone() {
        api.limits(600, 0); // 10 a second
        OpenAiEmbedder embedder = embedder(Map.of(FaroConfig.EMBED_BATCH_SIZE, "1",
                FaroConfig.EMBED_REQUESTS_IN_FLIGHT, "8", FaroConfig.EMBED_REQUESTS_PER_MINUTE, "600"));

        long start = System.nanoTime();
        assertThat(embedder.embedAsync(texts(30)).join()).noneMatch(Outcome::isRefused);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // 10 may go at once, the other 20 at 10 a second
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_800));
        assertThat(api.refusedForLimits()).isZero();
        assertThat(meters.find(MetricNames.EMBEDDING_LIMIT_WAIT_SECONDS).tag(MetricNames.TAG_LIMIT, "requests").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isGreaterThan(0);
    }

    @Test
    void shouldKeepToTheTokensPerMinuteLimit() {
        api.limits(0, 6_000); // 100 tokens a second
        OpenAiEmbedder embedder = embedder(Map.of(FaroConfig.EMBED_BATCH_SIZE, "1",
                FaroConfig.EMBED_TOKENS_PER_MINUTE, "6000"));
        String text = "word ".repeat(40); // 50 tokens by the stand-in's count, 40 by tiktoken's

        long start = System.nanoTime();
        assertThat(embedder.embedAsync(List.of(text, text, text, text, text, text, text, text)).join())
                .noneMatch(Outcome::isRefused);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
        assertThat(meters.find(MetricNames.EMBEDDING_TOKENS).counter().count()).isEqualTo(8 * 50);
    }

    @Test
    void shouldGiveUpOnAQuestionAtTheDeadlineButKeepRetryingForThePipelineUntilCancelled() {
        api.then(new Status(500, null), new Status(500, null), new Status(500, null), new Status(500, null),
                new Status(500, null), new Status(500, null), new Status(500, null), new Status(500, null));
        OpenAiEmbedder embedder = embedder(Map.of(FaroConfig.EMBED_TIMEOUT_MS, "400"));

        assertThatThrownBy(() -> embedder.embedQuery("what guides ships?")).isInstanceOf(EmbeddingException.class)
                .hasMessageContaining("HTTP 500");

        CompletableFuture<List<Outcome>> pipeline = embedder.embedAsync(List.of("a passage"));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.received().size() >= 3);
        pipeline.cancel(true);
        int sent = api.received().size();
        // no more attempts once cancelled (the one under way may finish)
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> api.received().size() <= sent + 1);
    }
}
