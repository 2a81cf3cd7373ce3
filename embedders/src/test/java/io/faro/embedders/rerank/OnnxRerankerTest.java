package io.faro.embedders.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.RerankOnnxFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cross-encoder. No reranker model ships in a Maven artifact and none can be downloaded here, so the
 * scoring test runs only when {@code FARO_RERANK_ONNX_MODEL} and {@code FARO_RERANK_ONNX_TOKENIZER} name one (an
 * ms-marco MiniLM cross-encoder exported to ONNX, for instance). The others run always: on a cross-encoder small
 * enough to be written by the test ({@link TinyCrossEncoder}), and on files that are no model at all.
 */
class OnnxRerankerTest {

    @TempDir
    Path dir;

    private static Optional<RerankOnnxFiles> configuredModel() {
        Optional<String> model = Optional.ofNullable(System.getenv(FaroConfig.RERANK_ONNX_MODEL));
        Optional<String> tokenizer = Optional.ofNullable(System.getenv(FaroConfig.RERANK_ONNX_TOKENIZER));
        return model.isPresent() && tokenizer.isPresent()
                ? Optional.of(new RerankOnnxFiles(Path.of(model.get()), Path.of(tokenizer.get())))
                : Optional.empty();
    }

    @Test
    void shouldScoreTheAnsweringPassageAboveTheOthersBetweenZeroAndOne() {
        Optional<RerankOnnxFiles> files = configuredModel();
        assumeTrue(files.isPresent(), "no cross-encoder to run: set " + FaroConfig.RERANK_ONNX_MODEL + " and "
                + FaroConfig.RERANK_ONNX_TOKENIZER + " to a reranker's model.onnx and tokenizer.json");

        try (OnnxReranker reranker = OnnxReranker.load(files.get())) {
            List<Double> scores = reranker.rerank("What is the capital of France?", List.of(
                    "Bananas are yellow and grow in bunches.",
                    "Paris is the capital and largest city of France.",
                    "The Rhine flows through Germany."), Duration.ofSeconds(30));

            assertThat(scores).hasSize(3).allSatisfy(score -> assertThat(score).isBetween(0.0, 1.0));
            assertThat(scores.get(1)).isGreaterThan(scores.get(0)).isGreaterThan(scores.get(2));
        }
    }

    @Test
    void shouldScoreEachPairWithTheModelsLogitThroughASigmoid() throws IOException {
        // given a cross-encoder small enough to write here (its logit falls with the pair's length)
        TinyCrossEncoder.write(dir, List.of("capital", "of", "france", "paris", "is", "the"));

        // when it scores three passages of 6, 1 and 9 words against a question of 3
        List<Double> scores;
        try (OnnxReranker reranker = OnnxReranker.load(new RerankOnnxFiles(dir.resolve("model.onnx"),
                dir.resolve("tokenizer.json")))) {
            scores = reranker.rerank("capital of France", List.of(
                    "Paris is the capital of France",
                    "Paris",
                    "The Rhine flows through Germany and many other lands"), Duration.ofSeconds(30));
        }

        // then each score is the model's, in the passages' order, padding and all
        assertThat(scores).hasSize(3);
        assertThat(scores.get(0)).isCloseTo(TinyCrossEncoder.score(9), within(1e-6));
        assertThat(scores.get(1)).isCloseTo(TinyCrossEncoder.score(4), within(1e-6));
        assertThat(scores.get(2)).isCloseTo(TinyCrossEncoder.score(12), within(1e-6));
    }

    @Test
    void shouldRefuseFilesThatAreNotACrossEncoderNamingTheVariables() throws IOException {
        Path model = Files.writeString(dir.resolve("model.onnx"), "not a model");
        Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{}");

        assertThatThrownBy(() -> OnnxReranker.load(new RerankOnnxFiles(model, tokenizer)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FaroConfig.RERANK_ONNX_MODEL + "=" + model)
                .hasMessageContaining(FaroConfig.RERANK_ONNX_TOKENIZER);
    }
}
