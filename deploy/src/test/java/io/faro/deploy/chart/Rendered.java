package io.faro.deploy.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The documents {@code helm template} rendered, as trees and as typed Kubernetes models. */
record Rendered(List<ObjectNode> documents) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Rendered parse(String yaml) {
        List<ObjectNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document instanceof ObjectNode object) {
                    documents.add(object);
                } else if (document != null && !document.isNull() && !document.isMissingNode()) {
                    throw new IllegalStateException("a rendered document is not an object: " + document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(List.copyOf(documents));
    }

    List<ObjectNode> ofKind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    Optional<ObjectNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asText())).findFirst();
    }

    <T> List<T> typed(String kind, Class<T> type) {
        return ofKind(kind).stream().map(d -> StrictModels.read(d, type)).toList();
    }

    List<Deployment> deployments() {
        return typed("Deployment", Deployment.class);
    }

    Deployment deployment(String component) {
        return deployments().stream().filter(d -> d.getMetadata().getName().equals(name(component))).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment " + name(component)));
    }

    List<Service> services() {
        return typed("Service", Service.class);
    }

    List<PodDisruptionBudget> podDisruptionBudgets() {
        return typed("PodDisruptionBudget", PodDisruptionBudget.class);
    }

    List<NetworkPolicy> networkPolicies() {
        return typed("NetworkPolicy", NetworkPolicy.class);
    }

    List<HorizontalPodAutoscaler> horizontalPodAutoscalers() {
        return typed("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
    }

    List<ConfigMap> configMaps() {
        return typed("ConfigMap", ConfigMap.class);
    }

    List<ServiceMonitor> serviceMonitors() {
        return typed("ServiceMonitor", ServiceMonitor.class);
    }

    List<PrometheusRule> prometheusRules() {
        return typed("PrometheusRule", PrometheusRule.class);
    }

    List<ObjectNode> scaledObjects() {
        return ofKind("ScaledObject");
    }

    List<ObjectNode> triggerAuthentications() {
        return ofKind("TriggerAuthentication");
    }

    /** The name of a component's objects in the test release. */
    static String name(String component) {
        return FaroChart.RELEASE + "-" + component;
    }
}
