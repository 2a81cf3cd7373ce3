package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.faro.core.Component;
import io.faro.core.config.FaroConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** KEDA on lag for ingest and the sinks, an HPA for the gateway, each instead of a fixed replica count. */
class AutoscalingTest {

    static List<Variant> variants() {
        return Variant.all();
    }

    @Test
    void shouldRunAFixedReplicaCountWithoutAutoscalersByDefault() {
        // given
        Rendered rendered = Variant.named("default values").rendered();

        // then
        assertThat(rendered.deployments()).allMatch(d -> d.getSpec().getReplicas() == 1);
        assertThat(rendered.scaledObjects()).isEmpty();
        assertThat(rendered.horizontalPodAutoscalers()).isEmpty();
    }

    @Test
    void shouldLeaveTheReplicaCountToKedaAndTheHpaWhenAutoscaling() {
        // given
        Rendered rendered = Variant.named("examples/values-prod.yaml").rendered();

        // then
        assertThat(rendered.deployments()).allMatch(d -> d.getSpec().getReplicas() == null);
        assertThat(rendered.scaledObjects()).map(s -> s.path("spec").path("scaleTargetRef").path("name").asText())
                .containsExactlyInAnyOrder(Rendered.name("ingest"), Rendered.name("sink-pgvector"),
                        Rendered.name("sink-qdrant"));
        HorizontalPodAutoscaler hpa = rendered.horizontalPodAutoscalers().getFirst();
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(Rendered.name("gateway"));
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getMetrics()).singleElement()
                .satisfies(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));
        assertThat(rendered.horizontalPodAutoscalers()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldNeverScaleAComponentBeyondThePartitionsOfItsTopic(Variant variant) {
        // given
        JsonNode partitions = FaroChart.values(variant.valuesFile()).path("kafka").path("partitions");
        Map<String, String> partitionsKey = Map.of("faro.documents", "documents", "faro.embeddings", "embeddings");

        // then
        for (ObjectNode scaledObject : variant.rendered().scaledObjects()) {
            String topic = scaledObject.at("/spec/triggers/0/metadata/topic").asText();
            assertThat(scaledObject.at("/spec/maxReplicaCount").asInt())
                    .isLessThanOrEqualTo(partitions.path(partitionsKey.get(topic)).asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Component.class)
    void shouldRefuseAFixedReplicaCountTogetherWithAutoscaling(Component component) {
        // when
        String error = FaroChart.renderError(Map.of(component.id() + ".replicas", "2",
                component.id() + ".autoscaling.enabled", "true"));

        // then
        assertThat(error).contains(component.id() + ": replicas is 2 and autoscaling.enabled is true; set one of them")
                .contains(component.id() + ".replicas: null");
    }

    @Test
    void shouldRefuseToScaleBeyondThePartitionsOfTheTopic() {
        // when
        String error = FaroChart.renderError(Map.of("kafka.partitions.embeddings", "4",
                "sink-qdrant.autoscaling.enabled", "true", "sink-qdrant.autoscaling.maxReplicaCount", "5"));

        // then
        assertThat(error).contains("sink-qdrant.autoscaling.maxReplicaCount is 5 but faro.embeddings has 4 partitions"
                + " (kafka.partitions.embeddings): set it to 4 or less");
    }

    @Test
    void shouldRefuseMoreFixedReplicasThanPartitions() {
        // when
        String error = FaroChart.renderError(Map.of("kafka.partitions.documents", "3", "ingest.replicas", "4"));

        // then
        assertThat(error).contains("ingest.replicas is 4 but faro.documents has 3 partitions");
    }

    @Test
    void shouldScaleOnLagWithTheComponentsMutualTlsCredentials() {
        // given
        Rendered rendered = Variant.named("examples/values-prod.yaml").rendered();

        // then
        for (ObjectNode scaledObject : rendered.scaledObjects()) {
            String component = scaledObject.at("/metadata/labels").path(Pods.COMPONENT_LABEL).asText();
            JsonNode trigger = scaledObject.at("/spec/triggers/0");
            assertThat(trigger.at("/metadata/tls").asText()).isEqualTo("enable");
            assertThat(trigger.at("/metadata/sasl").isMissingNode()).isTrue();
            ObjectNode authentication = triggerAuthentication(rendered, trigger);
            assertThat(secretRefs(authentication)).containsExactlyInAnyOrder(
                    "ca=faro-cluster-ca-cert/ca.crt",
                    "cert=faro-" + component + "/user.crt",
                    "key=faro-" + component + "/user.key");
        }
    }

    @Test
    void shouldScaleOnLagWithTheComponentsScramCredentials() {
        // given
        Rendered rendered = Variant.named("examples/values-scram.yaml").rendered();
        ObjectNode scaledObject = rendered.scaledObjects().getFirst();
        JsonNode trigger = scaledObject.at("/spec/triggers/0");
        Deployment ingest = rendered.deployment("ingest");

        // when
        ObjectNode authentication = triggerAuthentication(rendered, trigger);

        // then
        assertThat(rendered.scaledObjects()).hasSize(1);
        assertThat(trigger.at("/metadata/sasl").asText()).isEqualTo("scram_sha512");
        assertThat(trigger.at("/metadata/tls").asText()).isEqualTo("enable");
        assertThat(secretRefs(authentication)).containsExactlyInAnyOrder("ca=faro-cluster-ca-cert/ca.crt",
                "password=faro-ingest/password");
        JsonNode username = authentication.at("/spec/env/0");
        assertThat(username.path("parameter").asText()).isEqualTo("username");
        assertThat(username.path("containerName").asText()).isEqualTo(Pods.faro(ingest).getName());
        assertThat(Pods.env(ingest)).containsEntry(username.path("name").asText(), "faro-ingest")
                .containsKey(FaroConfig.KAFKA_SCRAM_USER);
    }

    @Test
    void shouldScaleOnLagWithoutCredentialsOnAPlainCluster() {
        // given
        Rendered rendered = FaroChart.render(List.of(FaroChart.dir().resolve("examples/values-dev.yaml")),
                Map.of("ingest.autoscaling.enabled", "true", "ingest.autoscaling.maxReplicaCount", "3"));

        // then
        assertThat(rendered.triggerAuthentications()).isEmpty();
        JsonNode trigger = rendered.scaledObjects().getFirst().at("/spec/triggers/0");
        assertThat(trigger.at("/metadata/tls").asText()).isEqualTo("disable");
        assertThat(trigger.has("authenticationRef")).isFalse();
    }

    private static ObjectNode triggerAuthentication(Rendered rendered, JsonNode trigger) {
        return rendered.find("TriggerAuthentication", trigger.at("/authenticationRef/name").asText())
                .orElseThrow(() -> new AssertionError("no TriggerAuthentication " + trigger.path("authenticationRef")));
    }

    private static List<String> secretRefs(ObjectNode authentication) {
        return authentication.at("/spec/secretTargetRef").valueStream()
                .map(r -> r.path("parameter").asText() + "=" + r.path("name").asText() + "/" + r.path("key").asText())
                .toList();
    }
}
