package io.faro.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.config.FaroConfig.RerankEndpoint;
import io.faro.core.config.FaroConfig.RerankFormat;
import io.faro.core.config.FaroConfig.RerankOnnxFiles;
import io.faro.core.config.FaroConfig.RerankSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RerankVariablesTest {

    @TempDir
    Path dir;

    private static FaroConfig config(Map<String, String> vars) {
        return FaroConfig.from(Env.of(vars));
    }

    @Test
    void shouldRerankNothingWhenNoRerankerIsSet() {
        assertThat(config(Map.of()).rerank()).isEmpty();
    }

    @Test
    void shouldReadAnHttpRerankerWithItsKeyFromAFileAndItsLimits() throws IOException {
        // given
        Path key = Files.writeString(dir.resolve("rerank.key"), "co-secret\n");

        // when
        RerankSettings rerank = config(Map.of(
                FaroConfig.RERANK_URL, "https://api.cohere.com/v2/rerank",
                FaroConfig.RERANK_MODEL, "rerank-v3.5",
                FaroConfig.RERANK_API_KEY_FILE, key.toString(),
                FaroConfig.RERANK_TIMEOUT_MS, "250",
                FaroConfig.RERANK_CANDIDATES, "40")).rerank().orElseThrow();

        // then
        RerankEndpoint endpoint = (RerankEndpoint) rerank.model();
        assertThat(endpoint.url()).isEqualTo("https://api.cohere.com/v2/rerank");
        assertThat(endpoint.model()).hasValue("rerank-v3.5");
        assertThat(endpoint.apiKey()).hasValue(Secret.of("co-secret"));
        assertThat(endpoint.format()).isEqualTo(RerankFormat.COHERE);
        assertThat(endpoint.toString()).doesNotContain("co-secret");
        assertThat(rerank.timeoutMs()).isEqualTo(250);
        assertThat(rerank.candidates()).isEqualTo(40);
    }

    @Test
    void shouldTakeDefaultsAndTheTeiFormat() {
        RerankSettings rerank = config(Map.of(FaroConfig.RERANK_URL, "http://127.0.0.1:8081/rerank",
                FaroConfig.RERANK_FORMAT, "tei")).rerank().orElseThrow();

        assertThat(((RerankEndpoint) rerank.model()).format()).isEqualTo(RerankFormat.TEI);
        assertThat(((RerankEndpoint) rerank.model()).model()).isEmpty();
        assertThat(rerank.timeoutMs()).isEqualTo(FaroConfig.DEFAULT_RERANK_TIMEOUT_MS);
        assertThat(rerank.candidates()).isEqualTo(FaroConfig.DEFAULT_RERANK_CANDIDATES);
    }

    @Test
    void shouldReadALocalCrossEncoderFromItsFiles() throws IOException {
        Path model = Files.writeString(dir.resolve("model.onnx"), "onnx");
        Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{}");

        RerankSettings rerank = config(Map.of(FaroConfig.RERANK_ONNX_MODEL, model.toString(),
                FaroConfig.RERANK_ONNX_TOKENIZER, tokenizer.toString())).rerank().orElseThrow();

        assertThat(rerank.model()).isEqualTo(new RerankOnnxFiles(model, tokenizer));
    }

    @Test
    void shouldRefuseBothRerankersAtOnce() throws IOException {
        Path model = Files.writeString(dir.resolve("model.onnx"), "onnx");

        assertThatThrownBy(() -> config(Map.of(FaroConfig.RERANK_URL, "http://127.0.0.1:1/rerank",
                FaroConfig.RERANK_ONNX_MODEL, model.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
    }

    @Test
    void shouldRefuseAnOnnxModelWithoutItsTokenizerOrMissingFiles() throws IOException {
        Path model = Files.writeString(dir.resolve("model.onnx"), "onnx");

        assertThatThrownBy(() -> config(Map.of(FaroConfig.RERANK_ONNX_MODEL, model.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining(FaroConfig.RERANK_ONNX_TOKENIZER);
        assertThatThrownBy(() -> config(Map.of(FaroConfig.RERANK_ONNX_MODEL, dir.resolve("absent.onnx").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining(FaroConfig.RERANK_ONNX_MODEL)
                .hasMessageContaining("not a readable file");
    }

    @Test
    void shouldRefuseRerankSettingsWithoutAReranker() {
        assertThatThrownBy(() -> config(Map.of(FaroConfig.RERANK_MODEL, "rerank-v3.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(FaroConfig.RERANK_MODEL)
                .hasMessageContaining(FaroConfig.RERANK_URL);
    }

    @Test
    void shouldRefuseAUrlThatIsNotHttpAndBadNumbersNamingTheVariable() {
        assertThatThrownBy(() -> config(Map.of(FaroConfig.RERANK_URL, "ftp://reranker/rerank")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(FaroConfig.RERANK_URL);
        assertThatThrownBy(() -> config(Map.of(FaroConfig.RERANK_URL, "http://127.0.0.1:1/rerank",
                FaroConfig.RERANK_CANDIDATES, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(FaroConfig.RERANK_CANDIDATES);
    }
}
