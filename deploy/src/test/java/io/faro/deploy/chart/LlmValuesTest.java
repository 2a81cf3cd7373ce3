package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.faro.core.config.FaroConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code llm} block: generated answers for the gateway alone, its key and secret headers mounted from Secrets
 * it names (never a value in the rendered chart), its endpoints let out by the gateway's NetworkPolicy.
 */
class LlmValuesTest {

    /** Portkey: plain headers in values, its API key in a Secret of header lines, a fallback with its own key. */
    private static final Map<String, String> PORTKEY = Map.ofEntries(
            entry("llm.enabled", "true"),
            entry("llm.baseUrl", "https://api.portkey.ai/v1"),
            entry("llm.model", "gpt-4o-mini"),
            entry("llm.apiKeySecret.name", "openai"),
            entry("llm.apiKeySecret.key", "token"),
            entry("llm.headers.x-portkey-provider", "openai"),
            entry("llm.headers.x-portkey-trace-id", "faro"),
            entry("llm.headersSecret.name", "portkey"),
            entry("llm.headersSecret.key", "headers"),
            entry("llm.fallbacks[0].baseUrl", "https://api.portkey.ai/v1"),
            entry("llm.fallbacks[0].model", "gpt-4o"),
            entry("llm.fallbacks[1].baseUrl", "http://ollama.ai.svc:11434/v1"),
            entry("llm.fallbacks[1].model", "llama3.1"),
            entry("llm.fallbacks[1].apiKeySecret.name", "ollama"),
            entry("llm.fallbacks[1].apiKeySecret.key", "key"),
            entry("llm.timeoutMs", "15000"),
            entry("llm.maxRetries", "1"),
            entry("networkPolicy.llm.to[0].ipBlock.cidr", "0.0.0.0/0"),
            entry("networkPolicy.llm.to[0].ipBlock.except[0]", "10.0.0.0/8"),
            entry("networkPolicy.llm.ports[0]", "443"),
            entry("networkPolicy.llm.ports[1]", "11434"));

    @Test
    void shouldSetNoLlmVariableNorMountWhenDisabled() {
        for (Variant variant : List.of(Variant.named("default values"), Variant.named("examples/values-dev.yaml"))) {
            for (Deployment deployment : variant.rendered().deployments()) {
                assertThat(Pods.faro(deployment).getEnv()).as("%s: %s", variant, deployment.getMetadata().getName())
                        .noneMatch(e -> e.getName().startsWith("FARO_LLM_"));
                assertThat(Pods.spec(deployment).getVolumes()).noneMatch(v -> v.getName().startsWith("llm"));
            }
        }
    }

    @Test
    void shouldPassTheEndpointsHeadersAndLimitsToTheGatewayOnly() {
        // given
        Rendered rendered = FaroChart.render(PORTKEY);
        Deployment gateway = rendered.deployment("gateway");

        // then
        assertThat(Pods.env(gateway)).contains(
                entry(FaroConfig.LLM_BASE_URL, "https://api.portkey.ai/v1"),
                entry(FaroConfig.LLM_MODEL, "gpt-4o-mini"),
                entry(FaroConfig.LLM_API_KEY_FILE, "/etc/faro/llm-api-key/api-key"),
                entry(FaroConfig.LLM_HEADERS, "x-portkey-provider=openai,x-portkey-trace-id=faro"),
                entry(FaroConfig.LLM_HEADERS_FILE, "/etc/faro/llm-headers/headers"),
                entry(FaroConfig.LLM_FALLBACKS, "https://api.portkey.ai/v1|gpt-4o,"
                        + "http://ollama.ai.svc:11434/v1|llama3.1|/etc/faro/llm-fallback-1/api-key"),
                entry(FaroConfig.LLM_TIMEOUT_MS, "15000"),
                entry(FaroConfig.LLM_MAX_RETRIES, "1"),
                entry(FaroConfig.LLM_MAX_CONTEXT_TOKENS, "6000"),
                entry(FaroConfig.LLM_MAX_ANSWER_TOKENS, "800"));
        assertThat(Pods.env(gateway)).doesNotContainKey(FaroConfig.LLM_API_KEY);
        assertThat(Pods.secretFiles(gateway, "llm")).containsOnly(
                entry("/etc/faro/llm-api-key/api-key", "openai/token"),
                entry("/etc/faro/llm-headers/headers", "portkey/headers"),
                entry("/etc/faro/llm-fallback-1/api-key", "ollama/key"));
        assertThat(Pods.faro(gateway).getVolumeMounts()).filteredOn(m -> m.getName().startsWith("llm"))
                .hasSize(3).allMatch(VolumeMount::getReadOnly);
        for (Deployment other : rendered.deployments()) {
            if (!other.getMetadata().getName().equals(gateway.getMetadata().getName())) {
                assertThat(Pods.faro(other).getEnv()).noneMatch(e -> e.getName().startsWith("FARO_LLM_"));
                assertThat(Pods.spec(other).getVolumes()).noneMatch(v -> v.getName().startsWith("llm"));
            }
        }
    }

    @Test
    void shouldEscapeACommaInAHeaderValue(@TempDir Path dir) throws IOException {
        // given
        Path values = Files.writeString(dir.resolve("values.yaml"), """
                llm:
                  enabled: true
                  baseUrl: https://api.portkey.ai/v1
                  model: gpt-4o
                  headers:
                    x-portkey-config: '{"retry":{"attempts":1,"on_status_codes":[429]}}'
                networkPolicy:
                  enabled: false
                """);

        // when
        Deployment gateway = FaroChart.render(List.of(values), Map.of()).deployment("gateway");

        // then: FARO_LLM_HEADERS reads \, as a comma inside a value
        assertThat(Pods.env(gateway)).containsEntry(FaroConfig.LLM_HEADERS,
                "x-portkey-config={\"retry\":{\"attempts\":1\\,\"on_status_codes\":[429]}}");
    }

    @Test
    void shouldLeaveOutTheKeyAndHeadersNoSecretIsNamedFor() {
        // when
        Deployment gateway = FaroChart.render(Map.of("llm.enabled", "true", "llm.baseUrl", "http://vllm:8000/v1",
                "llm.model", "qwen", "networkPolicy.enabled", "false")).deployment("gateway");

        // then
        assertThat(Pods.env(gateway)).containsKeys(FaroConfig.LLM_BASE_URL, FaroConfig.LLM_MODEL)
                .doesNotContainKeys(FaroConfig.LLM_API_KEY_FILE, FaroConfig.LLM_HEADERS, FaroConfig.LLM_HEADERS_FILE,
                        FaroConfig.LLM_FALLBACKS);
        assertThat(Pods.spec(gateway).getVolumes()).noneMatch(v -> v.getName().startsWith("llm"));
    }

    @Test
    void shouldRenderNoSecretValueAnywhere() {
        // given: values naming Secrets only; the chart cannot know their contents, so no key may appear
        String yaml = FaroChart.renderYaml(List.of(), PORTKEY);

        // then
        assertThat(yaml).doesNotContainIgnoringCase("x-portkey-api-key").doesNotContain("kind: Secret")
                .doesNotContain("secretKeyRef").doesNotContain("FARO_LLM_API_KEY\n");
    }

    @Test
    void shouldLetTheGatewayAloneOutToTheLlmEndpoints() {
        // given
        Rendered rendered = FaroChart.render(PORTKEY);

        // then
        for (NetworkPolicy policy : rendered.networkPolicies()) {
            List<NetworkPolicyEgressRule> llm = policy.getSpec().getEgress().stream()
                    .filter(r -> r.getTo().stream().anyMatch(p -> p.getIpBlock() != null
                            && p.getIpBlock().getCidr().equals("0.0.0.0/0")))
                    .toList();
            if (policy.getMetadata().getName().equals(Rendered.name("gateway"))) {
                assertThat(llm).singleElement().satisfies(rule -> {
                    assertThat(rule.getTo().getFirst().getIpBlock().getExcept()).containsExactly("10.0.0.0/8");
                    assertThat(rule.getPorts()).map(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                            .containsExactly("TCP/443", "TCP/11434");
                });
            } else {
                assertThat(llm).as(policy.getMetadata().getName()).isEmpty();
            }
        }
    }

    @Test
    void shouldRefuseLlmWithoutBaseUrlOrModel() {
        assertThat(FaroChart.renderError(Map.of("llm.enabled", "true", "llm.model", "gpt-4o")))
                .contains("llm.enabled is true but llm.baseUrl is empty");
        assertThat(FaroChart.renderError(Map.of("llm.enabled", "true", "llm.baseUrl", "https://api.openai.com/v1")))
                .contains("llm.enabled is true but llm.model is empty");
    }

    @Test
    void shouldRefuseLlmWhoseEndpointTheNetworkPolicyWouldBlock() {
        assertThat(FaroChart.renderError(Map.of("llm.enabled", "true", "llm.baseUrl", "https://api.openai.com/v1",
                "llm.model", "gpt-4o"))).contains("networkPolicy.llm.to is empty");
    }

    @Test
    void shouldRefuseASecretHeaderInValues() {
        assertThat(FaroChart.renderError(Map.of("llm.enabled", "true", "llm.baseUrl", "https://api.portkey.ai/v1",
                "llm.model", "gpt-4o", "networkPolicy.enabled", "false", "llm.headers.x-portkey-api-key", "pk-1")))
                .contains("llm.headers.x-portkey-api-key: a secret never goes into values").doesNotContain("pk-1");
    }

    @Test
    void shouldRefuseLlmVariablesSetBesideTheLlmBlock() {
        assertThat(FaroChart.renderError(Map.of("gateway.env.FARO_LLM_HEADERS", "x-portkey-api-key=pk-1")))
                .contains("gateway.env.FARO_LLM_HEADERS: the chart sets FARO_LLM_HEADERS itself");
    }

    @Test
    void shouldRefuseUnknownKeysAndBadValuesInTheSchema() {
        // when
        String error = FaroChart.renderError(Map.of("llm.apiKey", "sk-1", "llm.timeoutMs", "50",
                "llm.baseUrl", "https://user:pw@api.openai.com/v1", "llm.fallbacks[0].model", "gpt-4o",
                "networkPolicy.llm.port", "443"));

        // then
        assertThat(error).contains("values don't meet the specifications of the schema")
                .contains("at '/llm': additional properties 'apiKey' not allowed")
                .contains("at '/llm/timeoutMs': minimum: got 50, want 100")
                .contains("at '/llm/baseUrl'").contains("does not match pattern")
                .contains("at '/llm/fallbacks/0': missing property 'baseUrl'")
                .contains("at '/networkPolicy/llm': additional properties 'port' not allowed");
    }
}
