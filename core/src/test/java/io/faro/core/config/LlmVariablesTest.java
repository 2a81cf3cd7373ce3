package io.faro.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.config.FaroConfig.LlmEndpoint;
import io.faro.core.config.FaroConfig.LlmSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmVariablesTest {

    @TempDir
    Path dir;

    private static FaroConfig config(Map<String, String> vars) {
        return FaroConfig.from(Env.of(vars));
    }

    @Test
    void shouldLeaveAnswersExtractiveWhenNoBaseUrlIsSet() {
        // given / when
        FaroConfig config = config(Map.of("FARO_LLM_MODEL", "gpt-4o-mini"));

        // then
        assertThat(config.llm()).isEmpty();
    }

    @Test
    void shouldReadEndpointsHeadersAndLimits() throws IOException {
        // given
        Path key = Files.writeString(dir.resolve("fallback.key"), "sk-fallback\n");
        Map<String, String> vars = Map.of(
                "FARO_LLM_BASE_URL", "https://api.portkey.ai/v1/",
                "FARO_LLM_MODEL", "gpt-4o",
                "FARO_LLM_API_KEY", "pk-primary",
                "FARO_LLM_HEADERS", "x-portkey-provider=openai, x-portkey-config={\"retry\":{\"attempts\":1\\,\"x\":2}}",
                "FARO_LLM_FALLBACKS", "https://api.portkey.ai/v1|gpt-4o-mini," + "http://127.0.0.1:11434/v1|llama3|" + key,
                "FARO_LLM_TIMEOUT_MS", "15000",
                "FARO_LLM_MAX_RETRIES", "1",
                "FARO_LLM_MAX_CONTEXT_TOKENS", "3000",
                "FARO_LLM_MAX_ANSWER_TOKENS", "300");

        // when
        LlmSettings llm = config(vars).llm().orElseThrow();

        // then
        assertThat(llm.endpoints()).extracting(LlmEndpoint::baseUrl, LlmEndpoint::model).containsExactly(
                org.assertj.core.groups.Tuple.tuple("https://api.portkey.ai/v1", "gpt-4o"),
                org.assertj.core.groups.Tuple.tuple("https://api.portkey.ai/v1", "gpt-4o-mini"),
                org.assertj.core.groups.Tuple.tuple("http://127.0.0.1:11434/v1", "llama3"));
        LlmEndpoint primary = llm.endpoints().get(0);
        assertThat(primary.apiKey()).hasValue(Secret.of("pk-primary"));
        assertThat(primary.headers()).containsOnlyKeys("x-portkey-provider", "x-portkey-config");
        assertThat(primary.headers().get("x-portkey-config").reveal()).isEqualTo("{\"retry\":{\"attempts\":1,\"x\":2}}");
        assertThat(llm.endpoints().get(1).headers()).isEqualTo(primary.headers());
        assertThat(llm.endpoints().get(1).apiKey()).isEmpty();
        assertThat(llm.endpoints().get(2).headers()).as("headers never go to another host").isEmpty();
        assertThat(llm.endpoints().get(2).apiKey()).hasValue(Secret.of("sk-fallback"));
        assertThat(llm).extracting(LlmSettings::timeoutMs, LlmSettings::maxRetries, LlmSettings::maxContextTokens,
                LlmSettings::maxAnswerTokens).containsExactly(15000, 1, 3000, 300);
    }

    @Test
    void shouldNeverPrintKeysOrHeaderValues() {
        // given
        FaroConfig config = config(Map.of("FARO_LLM_BASE_URL", "https://api.openai.com/v1", "FARO_LLM_MODEL", "gpt-4o",
                "FARO_LLM_API_KEY", "sk-very-secret", "FARO_LLM_HEADERS", "x-portkey-api-key=pk-very-secret"));

        // when
        String printed = config.toString();

        // then
        assertThat(printed).contains("https://api.openai.com/v1").doesNotContain("very-secret");
    }

    @Test
    void shouldRefuseABaseUrlWithoutAModel() {
        assertThatThrownBy(() -> config(Map.of("FARO_LLM_BASE_URL", "https://api.openai.com/v1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FARO_LLM_MODEL");
    }

    @Test
    void shouldRefuseAMalformedFallbackNamingTheVariable() {
        assertThatThrownBy(() -> config(Map.of("FARO_LLM_BASE_URL", "https://api.openai.com/v1", "FARO_LLM_MODEL", "m",
                "FARO_LLM_FALLBACKS", "https://other/v1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FARO_LLM_FALLBACKS")
                .hasMessageContaining("base-url|model");
    }

    @Test
    void shouldRefuseAHeaderWithoutValueWithoutEchoingOtherValues() {
        assertThatThrownBy(() -> config(Map.of("FARO_LLM_BASE_URL", "https://api.openai.com/v1", "FARO_LLM_MODEL", "m",
                "FARO_LLM_HEADERS", "x-secret=pk-hidden,broken")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FARO_LLM_HEADERS")
                .hasMessageNotContaining("pk-hidden");
    }

    @Test
    void shouldAddTheSecretHeadersOfTheHeadersFileToThePlainOnes() throws IOException {
        // given: a mounted Secret, one header a line, with a trailing line break
        Path file = Files.writeString(dir.resolve("headers"), "x-portkey-api-key=pk-very-secret\r\nx-portkey-virtual-key=vk-1\n");

        // when
        LlmEndpoint primary = config(Map.of("FARO_LLM_BASE_URL", "https://api.portkey.ai/v1", "FARO_LLM_MODEL", "gpt-4o",
                "FARO_LLM_HEADERS", "x-portkey-provider=openai", "FARO_LLM_HEADERS_FILE", file.toString()))
                .llm().orElseThrow().endpoints().get(0);

        // then
        assertThat(primary.headers()).containsOnlyKeys("x-portkey-provider", "x-portkey-api-key", "x-portkey-virtual-key");
        assertThat(primary.headers().get("x-portkey-api-key").reveal()).isEqualTo("pk-very-secret");
        assertThat(primary.headers().get("x-portkey-virtual-key").reveal()).isEqualTo("vk-1");
    }

    @Test
    void shouldRefuseAHeaderSetBothInlineAndInTheFileWithoutEchoingItsValue() throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("headers"), "X-Portkey-Api-Key=pk-very-secret\n");

        // when / then
        assertThatThrownBy(() -> config(Map.of("FARO_LLM_BASE_URL", "https://api.portkey.ai/v1", "FARO_LLM_MODEL", "gpt-4o",
                "FARO_LLM_HEADERS", "x-portkey-api-key=pk-other", "FARO_LLM_HEADERS_FILE", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FARO_LLM_HEADERS_FILE").hasMessageContaining("x-portkey-api-key")
                .hasMessageNotContaining("very-secret").hasMessageNotContaining("pk-other");
    }

    @Test
    void shouldRefuseAHeadersFileThatDoesNotExist() {
        assertThatThrownBy(() -> config(Map.of("FARO_LLM_BASE_URL", "https://api.portkey.ai/v1", "FARO_LLM_MODEL", "gpt-4o",
                "FARO_LLM_HEADERS_FILE", dir.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FARO_LLM_HEADERS_FILE");
    }
}
