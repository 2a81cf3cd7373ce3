package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.faro.core.Component;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.RerankFormat;
import io.faro.core.store.SearchMode;
import io.faro.stores.keyword.KeywordAnalyzer;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code search} and {@code rerank} blocks: the search mode for the gateway, one keyword language for every
 * component that writes or searches a store (they must agree, or a store refuses keyword search), and a reranking
 * endpoint for the gateway alone, its key mounted from a Secret and its endpoint let out by the gateway's
 * NetworkPolicy.
 */
class SearchValuesTest {

    private static final String RERANK = "FARO_RERANK_";

    /** Cohere's hosted reranker, its key in a Secret, reached anywhere outside the cluster's ranges. */
    private static final Map<String, String> COHERE = Map.ofEntries(
            entry("rerank.enabled", "true"),
            entry("rerank.url", "https://api.cohere.com/v2/rerank"),
            entry("rerank.model", "rerank-v3.5"),
            entry("rerank.apiKeySecret.name", "cohere"),
            entry("rerank.apiKeySecret.key", "token"),
            entry("rerank.timeoutMs", "800"),
            entry("rerank.candidates", "40"),
            entry("networkPolicy.rerank.to[0].ipBlock.cidr", "0.0.0.0/0"),
            entry("networkPolicy.rerank.to[0].ipBlock.except[0]", "10.0.0.0/8"));

    /** Hugging Face TEI in the cluster: its own request shape, no model to name, no key, its pods as the peer. */
    private static final Map<String, String> TEI = Map.ofEntries(
            entry("rerank.enabled", "true"),
            entry("rerank.url", "http://tei.ai.svc:8080/rerank"),
            entry("rerank.format", "tei"),
            entry("networkPolicy.rerank.to[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name", "ai"),
            entry("networkPolicy.rerank.to[0].podSelector.matchLabels.app\\.kubernetes\\.io/name", "tei-reranker"),
            entry("networkPolicy.rerank.ports[0]", "8080"));

    static List<Variant> variants() {
        return Variant.all();
    }

    @Test
    void shouldSearchHybridInEnglishWithoutAReranker() {
        // given
        Rendered rendered = Variant.named("default values").rendered();

        // then
        assertThat(Pods.env(rendered.deployment("gateway"))).containsEntry(FaroConfig.SEARCH_MODE, "hybrid");
        for (Component component : List.of(Component.SINK_PGVECTOR, Component.SINK_QDRANT, Component.GATEWAY)) {
            assertThat(Pods.env(rendered.deployment(component.id())))
                    .containsEntry(FaroConfig.KEYWORD_LANGUAGE, "english");
        }
        for (Deployment deployment : rendered.deployments()) {
            assertThat(Pods.faro(deployment).getEnv()).as(deployment.getMetadata().getName())
                    .noneMatch(e -> e.getName().startsWith(RERANK));
            assertThat(Pods.spec(deployment).getVolumes()).noneMatch(v -> v.getName().startsWith("rerank"));
        }
        assertThat(rendered.networkPolicies()).flatMap(p -> p.getSpec().getEgress())
                .noneMatch(rule -> rule.getTo().stream().anyMatch(peer -> peer.getIpBlock() != null
                        && peer.getIpBlock().getCidr().equals("0.0.0.0/0")));
    }

    @Test
    void shouldDefaultToWhatFaroDefaultsTo() {
        // given: the chart always sets these variables, so its defaults stand in for FARO's own
        JsonNode values = FaroChart.values(Optional.empty());

        // then
        assertThat(values.at("/search/mode").asText()).isEqualTo(FaroConfig.DEFAULT_SEARCH_MODE.wireName());
        assertThat(values.at("/search/keywordLanguage").asText()).isEqualTo(FaroConfig.DEFAULT_KEYWORD_LANGUAGE);
        assertThat(values.at("/rerank/format").asText()).isEqualTo(Env.spelling(FaroConfig.DEFAULT_RERANK_FORMAT));
        assertThat(values.at("/rerank/timeoutMs").asInt()).isEqualTo(FaroConfig.DEFAULT_RERANK_TIMEOUT_MS);
        assertThat(values.at("/rerank/candidates").asInt()).isEqualTo(FaroConfig.DEFAULT_RERANK_CANDIDATES);
    }

    @Test
    void shouldOfferExactlyTheModesFormatsAndLanguagesFaroKnows() throws IOException {
        // given
        JsonNode schema = new ObjectMapper().readTree(FaroChart.dir().resolve("values.schema.json").toFile());

        // then: a value the schema lets through starts, and one FARO takes is not refused
        assertThat(enumOf(schema, "search", "mode"))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(SearchMode.values()).map(SearchMode::wireName)
                        .toList());
        assertThat(enumOf(schema, "search", "keywordLanguage"))
                .containsExactlyInAnyOrderElementsOf(KeywordAnalyzer.languages());
        assertThat(enumOf(schema, "rerank", "format"))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(RerankFormat.values()).map(Env::spelling).toList());
    }

    private static List<String> enumOf(JsonNode schema, String block, String value) {
        JsonNode values = schema.path("properties").path(block).path("properties").path(value).path("enum");
        assertThat(values.isArray()).as("%s.%s has an enum in values.schema.json", block, value).isTrue();
        return StreamSupport.stream(values.spliterator(), false).map(JsonNode::asText).toList();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldGiveTheKeywordLanguageToEveryComponentThatOpensAStore(Variant variant) {
        for (Deployment deployment : variant.rendered().deployments()) {
            // given: a component that writes or searches a store is one that is told where a store is
            Map<String, String> env = Pods.env(deployment);
            boolean opensAStore = env.containsKey(FaroConfig.PG_URL) || env.containsKey(FaroConfig.QDRANT_URL);

            // then
            assertThat(env.containsKey(FaroConfig.KEYWORD_LANGUAGE)).as("%s: %s", variant, Pods.component(deployment))
                    .isEqualTo(opensAStore);
            assertThat(env.containsKey(FaroConfig.SEARCH_MODE)).as("%s: %s", variant, Pods.component(deployment))
                    .isEqualTo(Pods.component(deployment).equals(Component.GATEWAY.id()));
        }
    }

    @Test
    void shouldSetOneLanguageForTheSinksAndTheGatewayAndTheModeForTheGateway() {
        // given
        Rendered rendered = FaroChart.render(Map.of("search.mode", "keyword", "search.keywordLanguage", "german"));

        // then
        Map<String, String> languages = rendered.deployments().stream()
                .filter(d -> Pods.env(d).containsKey(FaroConfig.KEYWORD_LANGUAGE))
                .collect(Collectors.toMap(Pods::component, d -> Pods.env(d).get(FaroConfig.KEYWORD_LANGUAGE)));
        assertThat(languages).containsOnly(entry(Component.SINK_PGVECTOR.id(), "german"),
                entry(Component.SINK_QDRANT.id(), "german"), entry(Component.GATEWAY.id(), "german"));
        assertThat(Pods.env(rendered.deployment("gateway"))).containsEntry(FaroConfig.SEARCH_MODE, "keyword");
    }

    @Test
    void shouldPassTheRerankEndpointItsKeyAsAFileAndItsLimitsToTheGatewayOnly() {
        // given
        Rendered rendered = FaroChart.render(COHERE);
        Deployment gateway = rendered.deployment("gateway");

        // then
        assertThat(Pods.env(gateway)).contains(
                entry(FaroConfig.RERANK_URL, "https://api.cohere.com/v2/rerank"),
                entry(FaroConfig.RERANK_FORMAT, "cohere"),
                entry(FaroConfig.RERANK_MODEL, "rerank-v3.5"),
                entry(FaroConfig.RERANK_API_KEY_FILE, "/etc/faro/rerank-api-key/api-key"),
                entry(FaroConfig.RERANK_TIMEOUT_MS, "800"),
                entry(FaroConfig.RERANK_CANDIDATES, "40"));
        assertThat(Pods.env(gateway)).doesNotContainKeys(FaroConfig.RERANK_API_KEY, FaroConfig.RERANK_ONNX_MODEL,
                FaroConfig.RERANK_ONNX_TOKENIZER);
        assertThat(Pods.secretFiles(gateway, "rerank"))
                .containsOnly(entry("/etc/faro/rerank-api-key/api-key", "cohere/token"));
        assertThat(Pods.faro(gateway).getVolumeMounts()).filteredOn(m -> m.getName().startsWith("rerank"))
                .singleElement().matches(VolumeMount::getReadOnly);
        assertThat(Pods.volume(gateway, "rerank-api-key").getSecret().getDefaultMode()).isEqualTo(0440);
        for (Deployment other : rendered.deployments()) {
            if (!Pods.component(other).equals(Component.GATEWAY.id())) {
                assertThat(Pods.faro(other).getEnv()).as(Pods.component(other))
                        .noneMatch(e -> e.getName().startsWith(RERANK));
                assertThat(Pods.spec(other).getVolumes()).noneMatch(v -> v.getName().startsWith("rerank"));
            }
        }
    }

    @Test
    void shouldRenderNoSecretValueForTheReranker() {
        // given: values naming a Secret only; the chart cannot know its contents, so no key may appear
        String yaml = FaroChart.renderYaml(List.of(), COHERE);

        // then
        assertThat(yaml).doesNotContain("kind: Secret").doesNotContain("secretKeyRef")
                .doesNotContain("FARO_RERANK_API_KEY\n");
    }

    @Test
    void shouldLeaveOutTheModelAndTheKeyNoneIsNamedFor() {
        // when
        Deployment gateway = FaroChart.render(TEI).deployment("gateway");

        // then: FARO's own defaults for the deadline and the candidates, spelled out
        assertThat(Pods.env(gateway)).contains(
                entry(FaroConfig.RERANK_URL, "http://tei.ai.svc:8080/rerank"),
                entry(FaroConfig.RERANK_FORMAT, "tei"),
                entry(FaroConfig.RERANK_TIMEOUT_MS, "1000"),
                entry(FaroConfig.RERANK_CANDIDATES, "20"))
                .doesNotContainKeys(FaroConfig.RERANK_MODEL, FaroConfig.RERANK_API_KEY_FILE);
        assertThat(Pods.spec(gateway).getVolumes()).noneMatch(v -> v.getName().startsWith("rerank"));
    }

    @Test
    void shouldLetTheGatewayAloneOutToTheReranker() {
        // given
        Rendered rendered = FaroChart.render(TEI);

        // then
        for (NetworkPolicy policy : rendered.networkPolicies()) {
            List<NetworkPolicyEgressRule> rerank = policy.getSpec().getEgress().stream()
                    .filter(rule -> rule.getTo().stream().anyMatch(peer -> peer.getPodSelector() != null
                            && "tei-reranker".equals(peer.getPodSelector().getMatchLabels()
                            .get("app.kubernetes.io/name"))))
                    .toList();
            if (policy.getMetadata().getName().equals(Rendered.name(Component.GATEWAY.id()))) {
                assertThat(rerank).singleElement().satisfies(rule -> {
                    assertThat(rule.getTo()).singleElement().satisfies(peer -> assertThat(
                            peer.getNamespaceSelector().getMatchLabels())
                            .containsExactly(entry("kubernetes.io/metadata.name", "ai")));
                    assertThat(rule.getPorts()).map(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                            .containsExactly("TCP/8080");
                });
            } else {
                assertThat(rerank).as(policy.getMetadata().getName()).isEmpty();
            }
        }
    }

    @Test
    void shouldSayHowItSearchesAfterInstalling() {
        assertThat(FaroChart.notes(List.of(), Map.of("search.keywordLanguage", "french")))
                .contains("Searches are hybrid unless a request names its mode; the keyword analyser is french")
                .doesNotContain("reranked");
        assertThat(FaroChart.notes(List.of(), TEI))
                .contains("Hits are reranked by http://tei.ai.svc:8080/rerank (tei), within 1000 ms a search.");
    }

    @Test
    void shouldRefuseARerankerWithoutUrl() {
        assertThat(FaroChart.renderError(Map.of("rerank.enabled", "true", "rerank.model", "rerank-v3.5")))
                .contains("rerank.enabled is true but rerank.url is empty");
    }

    @Test
    void shouldRefuseARerankerTheNetworkPolicyWouldBlock() {
        // when
        String error = FaroChart.renderError(Map.of("rerank.enabled", "true",
                "rerank.url", "https://api.cohere.com/v2/rerank"));

        // then
        assertThat(error).contains("rerank.enabled is true but networkPolicy.rerank.to is empty");
        assertThat(FaroChart.render(Map.of("rerank.enabled", "true", "rerank.url", "https://api.cohere.com/v2/rerank",
                "networkPolicy.enabled", "false")).networkPolicies()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"env.FARO_KEYWORD_LANGUAGE", "sink-qdrant.env.FARO_KEYWORD_LANGUAGE",
            "gateway.env.FARO_SEARCH_MODE", "gateway.env.FARO_RERANK_URL", "gateway.env.FARO_RERANK_CANDIDATES"})
    void shouldRefuseSearchVariablesSetBesideTheirValues(String setting) {
        // given
        String variable = setting.substring(setting.lastIndexOf('.') + 1);

        // when
        String error = FaroChart.renderError(Map.of(setting, "x"));

        // then
        assertThat(error).contains(setting + ": the chart sets " + variable + " itself");
    }

    @Test
    void shouldRefuseAnInProcessRerankerItHasNoModelFilesFor() {
        // when
        String error = FaroChart.renderError(Map.of("gateway.env.FARO_RERANK_ONNX_MODEL", "/models/model.onnx"));

        // then
        assertThat(error).contains("gateway.env.FARO_RERANK_ONNX_MODEL: the chart mounts no model files")
                .contains("rerank.format: tei");
    }

    @Test
    void shouldRefuseUnknownModesLanguagesAndRerankValuesInTheSchema() {
        // when
        String error = FaroChart.renderError(Map.ofEntries(
                entry("search.mode", "semantic"),
                entry("search.keywordLanguage", "klingon"),
                entry("rerank.format", "jina"),
                entry("rerank.url", "https://user:pw@api.cohere.com/v2/rerank"),
                entry("rerank.timeoutMs", "5"),
                entry("rerank.candidates", "0"),
                entry("rerank.apiKey", "co-1"),
                entry("networkPolicy.rerank.port", "443")));

        // then
        assertThat(error).contains("values don't meet the specifications of the schema")
                .contains("at '/search/mode'").contains("'dense', 'keyword'")
                .contains("at '/search/keywordLanguage'").contains("'english', 'standard'")
                .contains("at '/rerank/format'").contains("'cohere', 'tei'")
                .contains("at '/rerank/url'").contains("does not match pattern")
                .contains("at '/rerank/timeoutMs': minimum: got 5, want 10")
                .contains("at '/rerank/candidates': minimum: got 0, want 1")
                .contains("at '/rerank': additional properties 'apiKey' not allowed")
                .contains("at '/networkPolicy/rerank': additional properties 'port' not allowed")
                .doesNotContain("co-1");
    }

    @Test
    void shouldRefuseAMissingLanguage() {
        // when: null takes a value out of the chart's defaults
        String error = FaroChart.renderError(Map.of("search.keywordLanguage", "null"));

        // then
        assertThat(error).contains("at '/search'").contains("missing property 'keywordLanguage'");
    }
}
