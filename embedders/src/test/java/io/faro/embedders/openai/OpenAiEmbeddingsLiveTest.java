package io.faro.embedders.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Against the real OpenAI embeddings API: runs only when {@code OPENAI_API_KEY} is set. Without it, it is
 * skipped saying what to set.
 */
class OpenAiEmbeddingsLiveTest {

    private static final String KEY = System.getenv("OPENAI_API_KEY");

    @Test
    void shouldEmbedWithTextEmbedding3SmallAtTheDimensionAskedForAndRefuseATextTooLong() {
        assumeTrue(KEY != null && !KEY.isBlank(),
                "set OPENAI_API_KEY to run the embeddings test against the real OpenAI API");
        FaroConfig config = FaroConfig.from(Env.of(Map.of(
                FaroConfig.EMBEDDING_PROVIDER, "openai",
                FaroConfig.EMBEDDING_BASE_URL, "https://api.openai.com/v1",
                FaroConfig.EMBEDDING_MODEL, "text-embedding-3-small",
                FaroConfig.EMBEDDING_DIMENSION, "256",
                FaroConfig.EMBEDDING_API_KEY, KEY)));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OpenAiEmbedder embedder = new OpenAiEmbedder(config.embedding(), config.embedBatchSize(), meters);

        List<Outcome> outcomes = embedder.embedAsync(List.of("Lighthouses guide ships at night.",
                "word ".repeat(20_000))).join();

        assertThat(outcomes.get(0).vector()).hasSize(256);
        assertThat(outcomes.get(1).isRefused()).isTrue();
        assertThat(outcomes.get(1).refusal()).contains("HTTP 400");
        assertThat(meters.counter(io.faro.core.metrics.MetricNames.EMBEDDING_TOKENS,
                io.faro.core.metrics.MetricNames.TAG_MODEL, embedder.model()).count()).isPositive();
    }
}
