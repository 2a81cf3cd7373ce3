package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.faro.core.Component;
import io.faro.core.config.FaroConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code embedding} block: every component embeds (ingest passages, the sinks records of another model, the
 * gateway questions), so each gets the same hosted model settings, its key and secret headers mounted from Secrets
 * the values only name, a share of the provider's per-minute limits, and a way out through its NetworkPolicy.
 */
class EmbeddingValuesTest {

    private static final String ENDPOINT_CIDR = "0.0.0.0/0";

    /** OpenAI through Portkey's headers: plain ones in values, the secret ones in a Secret of header lines. */
    private static final Map<String, String> HOSTED = Map.ofEntries(
            entry("embedding.provider", "openai"),
            entry("embedding.baseUrl", "https://api.openai.com/v1"),
            entry("embedding.model", "text-embedding-3-small"),
            entry("embedding.dimension", "1536"),
            entry("embedding.apiKeySecret.name", "openai"),
            entry("embedding.apiKeySecret.key", "token"),
            entry("embedding.headers.OpenAI-Organization", "org-faro"),
            entry("embedding.headers.x-portkey-trace-id", "faro"),
            entry("embedding.headersSecret.name", "portkey"),
            entry("embedding.headersSecret.key", "headers"),
            entry("networkPolicy.embedding.to[0].ipBlock.cidr", ENDPOINT_CIDR),
            entry("networkPolicy.embedding.to[0].ipBlock.except[0]", "10.0.0.0/8"));

    private static final List<String> HOSTED_ONLY = List.of(FaroConfig.EMBEDDING_PROVIDER,
            FaroConfig.EMBEDDING_BASE_URL, FaroConfig.EMBEDDING_DIMENSION, FaroConfig.EMBEDDING_API_KEY,
            FaroConfig.EMBEDDING_API_KEY_FILE, FaroConfig.EMBEDDING_HEADERS, FaroConfig.EMBEDDING_HEADERS_FILE,
            FaroConfig.EMBED_REQUESTS_IN_FLIGHT, FaroConfig.EMBED_REQUESTS_PER_MINUTE,
            FaroConfig.EMBED_TOKENS_PER_MINUTE, FaroConfig.EMBED_MAX_REQUEST_TOKENS, FaroConfig.EMBED_TIMEOUT_MS);

    @Test
    void shouldSetNoHostedVariableNorMountWithTheInProcessModel() {
        for (Variant variant : List.of(Variant.named("default values"), Variant.named("examples/values-prod.yaml"))) {
            for (Deployment deployment : variant.rendered().deployments()) {
                assertThat(Pods.env(deployment)).as("%s: %s", variant, deployment.getMetadata().getName())
                        .doesNotContainKeys(HOSTED_ONLY.toArray(String[]::new))
                        .doesNotContainKey(FaroConfig.EMBEDDING_MODEL);
                assertThat(Pods.spec(deployment).getVolumes()).noneMatch(v -> v.getName().startsWith("embedding"));
            }
        }
    }

    @Test
    void shouldGiveEveryComponentTheInProcessModelItNames() {
        // when
        Rendered rendered = FaroChart.render(Map.of("embedding.model", "bge-small-en-v1.5-q"));

        // then
        assertThat(rendered.deployments()).hasSize(Component.values().length).allSatisfy(deployment ->
                assertThat(Pods.env(deployment)).containsEntry(FaroConfig.EMBEDDING_MODEL, "bge-small-en-v1.5-q")
                        .doesNotContainKeys(HOSTED_ONLY.toArray(String[]::new)));
    }

    @Test
    void shouldGiveEveryComponentTheHostedModelWithItsSecretsAsMountedFiles() {
        // when
        Rendered rendered = FaroChart.render(HOSTED);

        // then: ingest, both sinks and the gateway alike
        assertThat(rendered.deployments()).map(Pods::component)
                .containsExactlyInAnyOrder(Arrays.stream(Component.values()).map(Component::id).toArray(String[]::new));
        for (Deployment deployment : rendered.deployments()) {
            assertThat(Pods.env(deployment)).as(deployment.getMetadata().getName()).contains(
                    entry(FaroConfig.EMBEDDING_PROVIDER, "openai"),
                    entry(FaroConfig.EMBEDDING_BASE_URL, "https://api.openai.com/v1"),
                    entry(FaroConfig.EMBEDDING_MODEL, "text-embedding-3-small"),
                    entry(FaroConfig.EMBEDDING_DIMENSION, "1536"),
                    entry(FaroConfig.EMBEDDING_API_KEY_FILE, "/etc/faro/embedding-api-key/api-key"),
                    entry(FaroConfig.EMBEDDING_HEADERS, "OpenAI-Organization=org-faro,x-portkey-trace-id=faro"),
                    entry(FaroConfig.EMBEDDING_HEADERS_FILE, "/etc/faro/embedding-headers/headers"))
                    .doesNotContainKey(FaroConfig.EMBEDDING_API_KEY);
            assertThat(Pods.secretFiles(deployment, "embedding")).containsOnly(
                    entry("/etc/faro/embedding-api-key/api-key", "openai/token"),
                    entry("/etc/faro/embedding-headers/headers", "portkey/headers"));
            assertThat(Pods.faro(deployment).getVolumeMounts()).filteredOn(m -> m.getName().startsWith("embedding"))
                    .hasSize(2).allMatch(VolumeMount::getReadOnly);
        }
    }

    @Test
    void shouldPassFaroItsOwnDefaultsWhereTheValuesKeepTheChartsDefaults() {
        // when
        Deployment ingest = FaroChart.render(HOSTED).deployment(Component.INGEST.id());

        // then: the chart's defaults are FARO's, not figures of its own
        assertThat(Pods.env(ingest)).contains(
                entry(FaroConfig.EMBED_REQUESTS_IN_FLIGHT, String.valueOf(FaroConfig.DEFAULT_EMBED_REQUESTS_IN_FLIGHT)),
                entry(FaroConfig.EMBED_MAX_REQUEST_TOKENS, String.valueOf(FaroConfig.DEFAULT_EMBED_MAX_REQUEST_TOKENS)),
                entry(FaroConfig.EMBED_TIMEOUT_MS, String.valueOf(FaroConfig.DEFAULT_EMBED_TIMEOUT_MS)),
                entry(FaroConfig.EMBED_REQUESTS_PER_MINUTE, "0"),
                entry(FaroConfig.EMBED_TOKENS_PER_MINUTE, "0"));
    }

    @Test
    void shouldShareTheLimitsOutAmongThePodsThatMayEmbed(@TempDir Path dir) throws IOException {
        // given: limits in a values file (YAML numbers, which Helm reads as floats), 2 ingest replicas, sink-pgvector
        // off, sink-qdrant and the gateway autoscaled up to 6 each: 2 + 6 + 6 = 14 pods at most
        Path values = Files.writeString(dir.resolve("values.yaml"), """
                embedding:
                  requestsPerMinute: 3000
                  tokensPerMinute: 1000000
                ingest:
                  replicas: 2
                sink-pgvector:
                  enabled: false
                sink-qdrant:
                  autoscaling:
                    enabled: true
                    maxReplicaCount: 6
                gateway:
                  autoscaling:
                    enabled: true
                    maxReplicas: 6
                """);

        // when
        Rendered rendered = FaroChart.render(List.of(values), HOSTED);

        // then: each gets the limit over 14, rounded down, so that together they stay within it
        assertThat(rendered.deployments()).hasSize(3).allSatisfy(deployment -> assertThat(Pods.env(deployment))
                .containsEntry(FaroConfig.EMBED_REQUESTS_PER_MINUTE, "214")
                .containsEntry(FaroConfig.EMBED_TOKENS_PER_MINUTE, "71428"));
        assertThat(FaroChart.notes(List.of(values), HOSTED)).contains("up to 14 processes embed")
                .contains("within 214 requests and 71428 tokens a minute");
    }

    @Test
    void shouldPassEachPodTheFiguresAsTheyAreWhenTheLimitsArePerProcess(@TempDir Path dir) throws IOException {
        // given
        Path values = Files.writeString(dir.resolve("values.yaml"), """
                embedding:
                  limitsPer: process
                  requestsPerMinute: 500
                  tokensPerMinute: 1000000
                ingest:
                  replicas: 3
                """);

        // when
        Rendered rendered = FaroChart.render(List.of(values), HOSTED);

        // then: as FARO reads an integer, not as Helm prints a float (1e+06)
        assertThat(rendered.deployments()).hasSize(4).allSatisfy(deployment -> assertThat(Pods.env(deployment))
                .containsEntry(FaroConfig.EMBED_REQUESTS_PER_MINUTE, "500")
                .containsEntry(FaroConfig.EMBED_TOKENS_PER_MINUTE, "1000000"));
    }

    @Test
    void shouldGiveEachPodOfTheProductionExampleTheShareTheExampleStates() {
        // given: the overlay on top of the production example, as docs/deploy.md installs them
        Path examples = FaroChart.dir().resolve("examples");
        List<Path> files = List.of(examples.resolve("values-prod.yaml"),
                examples.resolve("values-openai-embeddings.yaml"));

        // when
        Rendered rendered = FaroChart.render(files, Map.of());

        // then: 5000 requests and 5,000,000 tokens a minute over 12 + 12 + 12 + 8 pods at most
        assertThat(rendered.deployments()).hasSize(4).allSatisfy(deployment -> assertThat(Pods.env(deployment))
                .containsEntry(FaroConfig.EMBED_REQUESTS_PER_MINUTE, "113")
                .containsEntry(FaroConfig.EMBED_TOKENS_PER_MINUTE, "113636")
                .containsEntry(FaroConfig.EMBEDDING_API_KEY_FILE, "/etc/faro/embedding-api-key/api-key"));
        assertThat(FaroChart.notes(files, Map.of())).contains("up to 44 processes embed");
    }

    @Test
    void shouldRenderNoSecretValueAnywhere() {
        // given: values naming Secrets only; the chart cannot know their contents
        String yaml = FaroChart.renderYaml(List.of(), HOSTED);

        // then
        assertThat(yaml).doesNotContain("kind: Secret").doesNotContain("secretKeyRef")
                .doesNotContain(FaroConfig.EMBEDDING_API_KEY + "\n");
    }

    @Test
    void shouldLetEveryComponentOutToTheEmbeddingEndpointAndTheGatewayAloneToTheLlm() {
        // given: the LLM on another address, so that the two rules can be told apart
        Map<String, String> sets = with(HOSTED, "llm.enabled", "true", "llm.baseUrl", "http://vllm.ai.svc:8000/v1",
                "llm.model", "qwen", "networkPolicy.llm.to[0].ipBlock.cidr", "10.9.0.0/16",
                "networkPolicy.embedding.ports[0]", "443", "networkPolicy.embedding.ports[1]", "8443");

        // when
        List<NetworkPolicy> policies = FaroChart.render(sets).networkPolicies();

        // then
        assertThat(policies).hasSize(Component.values().length);
        for (NetworkPolicy policy : policies) {
            assertThat(egressTo(policy, ENDPOINT_CIDR)).as(policy.getMetadata().getName()).singleElement()
                    .satisfies(rule -> {
                        assertThat(rule.getTo().getFirst().getIpBlock().getExcept()).containsExactly("10.0.0.0/8");
                        assertThat(rule.getPorts()).map(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                                .containsExactly("TCP/443", "TCP/8443");
                    });
            boolean gateway = policy.getMetadata().getName().equals(Rendered.name(Component.GATEWAY.id()));
            assertThat(egressTo(policy, "10.9.0.0/16")).hasSize(gateway ? 1 : 0);
        }
    }

    @Test
    void shouldRefuseAHostedModelWithoutItsEndpointModelOrDimension() {
        assertThat(FaroChart.renderError(without(HOSTED, "embedding.baseUrl")))
                .contains("embedding.provider is openai but embedding.baseUrl is empty");
        assertThat(FaroChart.renderError(without(HOSTED, "embedding.model")))
                .contains("embedding.provider is openai but embedding.model is empty");
        assertThat(FaroChart.renderError(without(HOSTED, "embedding.dimension")))
                .contains("embedding.provider is openai but embedding.dimension is empty")
                .contains("1536 for text-embedding-3-small");
    }

    @Test
    void shouldRefuseHostedSettingsWithTheInProcessModel() {
        // FARO refuses them at start-up: the chart says so before anything is installed
        assertThat(FaroChart.renderError(Map.of("embedding.dimension", "1536")))
                .contains("embedding.dimension is set but embedding.provider is onnx");
        assertThat(FaroChart.renderError(Map.of("embedding.baseUrl", "https://api.openai.com/v1")))
                .contains("embedding.baseUrl is set but embedding.provider is onnx");
    }

    @Test
    void shouldRefuseAHostedModelWhoseEndpointTheNetworkPoliciesWouldBlock() {
        assertThat(FaroChart.renderError(without(HOSTED, "networkPolicy.embedding.to[0].ipBlock.cidr",
                "networkPolicy.embedding.to[0].ipBlock.except[0]")))
                .contains("embedding.provider is openai but networkPolicy.embedding.to is empty");
    }

    @Test
    void shouldRefuseALimitTooSmallToShareOut() {
        // given: 4 pods (one of each component) and 3 requests a minute: 0 each would mean no limit at all
        assertThat(FaroChart.renderError(with(HOSTED, "embedding.requestsPerMinute", "3")))
                .contains("embedding.requestsPerMinute is 3 but up to 4 processes may embed");
    }

    @Test
    void shouldRefuseASecretHeaderInValues() {
        assertThat(FaroChart.renderError(with(HOSTED, "embedding.headers.Authorization", "Bearer sk-1")))
                .contains("embedding.headers.Authorization: a secret never goes into values")
                .contains("embedding.headersSecret").doesNotContain("sk-1");
    }

    @Test
    void shouldRefuseEmbeddingVariablesSetBesideTheEmbeddingBlock() {
        assertThat(FaroChart.renderError(Map.of("env.FARO_EMBEDDING_PROVIDER", "openai")))
                .contains("env.FARO_EMBEDDING_PROVIDER: the chart sets FARO_EMBEDDING_PROVIDER itself");
        assertThat(FaroChart.renderError(Map.of("ingest.env.FARO_EMBED_TOKENS_PER_MINUTE", "90000")))
                .contains("ingest.env.FARO_EMBED_TOKENS_PER_MINUTE: the chart sets FARO_EMBED_TOKENS_PER_MINUTE itself");
    }

    @Test
    void shouldRefuseUnknownKeysAndBadValuesInTheSchema() {
        // when
        String error = FaroChart.renderError(Map.of("embedding.provider", "cohere", "embedding.apiKey", "sk-1",
                "embedding.dimension", "0", "embedding.limitsPer", "account",
                "embedding.baseUrl", "https://user:pw@api.openai.com/v1", "networkPolicy.embedding.port", "443"));

        // then
        assertThat(error).contains("values don't meet the specifications of the schema")
                .contains("at '/embedding/provider'").contains("'onnx'").contains("'openai'")
                .contains("at '/embedding': additional properties 'apiKey' not allowed")
                .contains("at '/embedding/dimension': minimum: got 0, want 1")
                .contains("at '/embedding/limitsPer'")
                .contains("at '/embedding/baseUrl'").contains("does not match pattern")
                .contains("at '/networkPolicy/embedding': additional properties 'port' not allowed");
    }

    /** The egress rules of a policy whose first peer is the ipBlock of this CIDR. */
    private static List<NetworkPolicyEgressRule> egressTo(NetworkPolicy policy, String cidr) {
        return policy.getSpec().getEgress().stream().filter(r -> r.getTo().stream()
                .anyMatch(p -> p.getIpBlock() != null && p.getIpBlock().getCidr().equals(cidr))).toList();
    }

    private static Map<String, String> with(Map<String, String> sets, String... more) {
        Map<String, String> all = new HashMap<>(sets);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }

    private static Map<String, String> without(Map<String, String> sets, String... keys) {
        Map<String, String> all = new HashMap<>(sets);
        Arrays.asList(keys).forEach(all::remove);
        return all;
    }
}
