package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * KEDA's ScaledObject and TriggerAuthentication ({@code keda.sh/v1alpha1}) have no fabric8 model: their structure is
 * checked here against the fields KEDA 2.x documents, unknown ones refused, and the parts Kubernetes defines
 * (metadata, the HPA behaviour) read into their typed models.
 */
final class KedaResources {

    static final String API_VERSION = "keda.sh/v1alpha1";

    private static final Set<String> SCALED_OBJECT_SPEC = Set.of("scaleTargetRef", "pollingInterval",
            "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount",
            "fallback", "advanced", "triggers");
    private static final Set<String> SCALE_TARGET_REF = Set.of("apiVersion", "kind", "name",
            "envSourceContainerName");
    private static final Set<String> ADVANCED = Set.of("restoreToOriginalReplicaCount",
            "horizontalPodAutoscalerConfig", "scalingModifiers");
    private static final Set<String> HPA_CONFIG = Set.of("name", "behavior");
    private static final Set<String> TRIGGER = Set.of("type", "name", "metadata", "authenticationRef",
            "metricType", "useCachedMetrics");
    private static final Set<String> AUTHENTICATION_REF = Set.of("name", "kind");
    /** The kafka scaler's trigger metadata (https://keda.sh/docs/2.18/scalers/apache-kafka/). */
    private static final Set<String> KAFKA_METADATA = Set.of("bootstrapServers", "consumerGroup", "topic",
            "lagThreshold", "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers",
            "scaleToZeroOnInvalidOffset", "excludePersistentLag", "limitToPartitionsWithLag",
            "ensureEvenDistributionOfPartitions", "version", "partitionLimitation", "sasl", "saslTokenProvider",
            "tls", "unsafeSsl", "awsRegion");
    private static final Set<String> KAFKA_REQUIRED = Set.of("bootstrapServers", "consumerGroup", "topic",
            "lagThreshold");
    private static final Set<String> TRIGGER_AUTHENTICATION_SPEC = Set.of("secretTargetRef", "env",
            "configMapTargetRef", "podIdentity");
    private static final Set<String> SECRET_TARGET_REF = Set.of("parameter", "name", "key");
    private static final Set<String> ENV_TARGET = Set.of("parameter", "name", "containerName");
    /** The kafka scaler's authentication parameters. */
    static final Set<String> KAFKA_AUTH_PARAMETERS = Set.of("sasl", "username", "password", "tls", "ca", "cert",
            "key", "keyPassword");

    private static final ObjectMapper GENERIC = new ObjectMapper();

    private KedaResources() {
    }

    static void checkScaledObject(JsonNode object) {
        checkTop(object, "ScaledObject");
        JsonNode spec = object.path("spec");
        allowed(spec, SCALED_OBJECT_SPEC, "spec");
        allowed(spec.path("scaleTargetRef"), SCALE_TARGET_REF, "spec.scaleTargetRef");
        assertThat(spec.path("scaleTargetRef").path("name").asText()).as("spec.scaleTargetRef.name").isNotBlank();
        assertThat(spec.path("minReplicaCount").isInt()).as("spec.minReplicaCount is an integer").isTrue();
        assertThat(spec.path("maxReplicaCount").isInt()).as("spec.maxReplicaCount is an integer").isTrue();
        JsonNode advanced = spec.path("advanced");
        if (!advanced.isMissingNode()) {
            allowed(advanced, ADVANCED, "spec.advanced");
            JsonNode hpa = advanced.path("horizontalPodAutoscalerConfig");
            allowed(hpa, HPA_CONFIG, "spec.advanced.horizontalPodAutoscalerConfig");
            StrictModels.read(hpa.path("behavior"), HorizontalPodAutoscalerBehavior.class);
        }
        assertThat(spec.path("triggers").isArray() && !spec.path("triggers").isEmpty())
                .as("spec.triggers is a non-empty list").isTrue();
        for (JsonNode trigger : spec.path("triggers")) {
            allowed(trigger, TRIGGER, "spec.triggers[]");
            assertThat(trigger.path("type").asText()).as("trigger type").isEqualTo("kafka");
            JsonNode metadata = trigger.path("metadata");
            allowed(metadata, KAFKA_METADATA, "spec.triggers[].metadata");
            assertThat(names(metadata)).as("the kafka trigger's required metadata").containsAll(KAFKA_REQUIRED);
            metadata.properties().forEach(e -> assertThat(e.getValue().isTextual())
                    .as("trigger metadata %s is a string (KEDA reads map[string]string)", e.getKey()).isTrue());
            if (trigger.has("authenticationRef")) {
                allowed(trigger.path("authenticationRef"), AUTHENTICATION_REF, "spec.triggers[].authenticationRef");
            }
        }
    }

    static void checkTriggerAuthentication(JsonNode object) {
        checkTop(object, "TriggerAuthentication");
        JsonNode spec = object.path("spec");
        allowed(spec, TRIGGER_AUTHENTICATION_SPEC, "spec");
        for (JsonNode ref : spec.path("secretTargetRef")) {
            allowed(ref, SECRET_TARGET_REF, "spec.secretTargetRef[]");
            assertThat(names(ref)).as("spec.secretTargetRef[]").containsAll(SECRET_TARGET_REF);
            assertThat(ref.path("parameter").asText()).isIn(KAFKA_AUTH_PARAMETERS);
        }
        for (JsonNode env : spec.path("env")) {
            allowed(env, ENV_TARGET, "spec.env[]");
            assertThat(env.path("parameter").asText()).isIn(KAFKA_AUTH_PARAMETERS);
        }
    }

    /** Read as fabric8 reads a custom resource it has no model for; metadata is typed, the rest is checked here. */
    private static void checkTop(JsonNode object, String kind) {
        GenericKubernetesResource resource;
        try {
            resource = GENERIC.treeToValue(object, GenericKubernetesResource.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError(kind + " is not a Kubernetes resource: " + e.getOriginalMessage(), e);
        }
        assertThat(resource.getApiVersion()).isEqualTo(API_VERSION);
        assertThat(resource.getKind()).isEqualTo(kind);
        assertThat(resource.getAdditionalProperties()).as("the fields of %s besides apiVersion, kind, metadata", kind)
                .containsOnlyKeys("spec");
        StrictModels.read(object.path("metadata"), ObjectMeta.class);
    }

    private static void allowed(JsonNode node, Set<String> fields, String where) {
        assertThat(node.isObject()).as("%s is an object", where).isTrue();
        assertThat(names(node)).as("the fields of %s", where).isSubsetOf(fields);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
