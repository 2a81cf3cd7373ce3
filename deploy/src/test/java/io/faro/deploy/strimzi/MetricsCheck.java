package io.faro.deploy.strimzi;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.topic.Topics;
import io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.exporter.KafkaExporterSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What watches the cluster: the JMX exporter's rules (the ConfigMap {@code spec.kafka.metricsConfig} names) turn the
 * broker health MBeans into metrics, and Kafka Exporter reports the lag of every FARO consumer group on FARO's topics.
 */
final class MetricsCheck {

    /**
     * Attributes as the JMX exporter matches them ({@code domain<properties><keys>attribute: value}) that any alert
     * on the cluster's health needs.
     */
    static final List<String> HEALTH_ATTRIBUTES = List.of(
            "kafka.server<type=ReplicaManager, name=UnderReplicatedPartitions><>Value: 0",
            "kafka.server<type=ReplicaManager, name=UnderMinIsrPartitionCount><>Value: 0",
            "kafka.controller<type=KafkaController, name=OfflinePartitionsCount><>Value: 0",
            "kafka.controller<type=KafkaController, name=ActiveControllerCount><>Value: 1",
            "kafka.server<type=BrokerTopicMetrics, name=BytesInPerSec, topic=faro.documents><>Count: 0");

    private MetricsCheck() {
    }

    static List<String> problems(Kafka kafka, List<ConfigMap> configMaps) {
        List<String> problems = new ArrayList<>();
        if (!(kafka.getSpec().getKafka().getMetricsConfig() instanceof JmxPrometheusExporterMetrics jmx)
                || jmx.getValueFrom() == null || jmx.getValueFrom().getConfigMapKeyRef() == null) {
            problems.add("spec.kafka.metricsConfig must be the JMX Prometheus exporter with its rules in a ConfigMap");
        } else {
            problems.addAll(ruleProblems(jmx.getValueFrom().getConfigMapKeyRef(), configMaps));
        }
        problems.addAll(exporterProblems(kafka.getSpec().getKafkaExporter()));
        return problems;
    }

    private static List<String> ruleProblems(ConfigMapKeySelector ref, List<ConfigMap> configMaps) {
        Optional<String> rules = configMaps.stream().filter(c -> c.getMetadata().getName().equals(ref.getName()))
                .map(c -> c.getData() == null ? null : c.getData().get(ref.getKey())).filter(r -> r != null).findFirst();
        if (rules.isEmpty()) {
            return List.of("spec.kafka.metricsConfig names the key " + ref.getKey() + " of ConfigMap " + ref.getName()
                    + ", which strimzi/ does not hold");
        }
        List<Pattern> patterns = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            JsonNode config = StrimziFiles.MAPPER.readTree(rules.get());
            for (JsonNode rule : config.path("rules")) {
                String pattern = rule.path("pattern").asText();
                try {
                    // as the JMX exporter compiles it: found anywhere in the attribute's name
                    patterns.add(Pattern.compile("^.*?" + pattern + ".*?$"));
                } catch (PatternSyntaxException e) {
                    problems.add("JMX exporter rule '" + pattern + "' is no regular expression: " + e.getDescription());
                }
            }
        } catch (IOException e) {
            return List.of("the JMX exporter rules in " + ref.getName() + " are no YAML: " + e.getMessage());
        }
        for (String attribute : HEALTH_ATTRIBUTES) {
            if (patterns.stream().noneMatch(p -> p.matcher(attribute).matches())) {
                problems.add("no JMX exporter rule exports " + attribute);
            }
        }
        return problems;
    }

    private static List<String> exporterProblems(KafkaExporterSpec exporter) {
        if (exporter == null) {
            return List.of("spec.kafkaExporter is missing: it reports the consumer lag of FARO's groups");
        }
        List<String> problems = new ArrayList<>();
        List<String> groups = KafkaIds.components().stream().flatMap(access -> access.groups().stream()).toList();
        for (String group : groups) {
            if (!finds(exporter.getGroupRegex(), group)) {
                problems.add("spec.kafkaExporter.groupRegex " + exporter.getGroupRegex() + " leaves out FARO's group "
                        + group + ": its lag would not be reported");
            }
        }
        for (Topics.TopicSpec topic : Topics.ALL) {
            if (!finds(exporter.getTopicRegex(), topic.name())) {
                problems.add("spec.kafkaExporter.topicRegex " + exporter.getTopicRegex() + " leaves out " + topic.name());
            }
        }
        return problems;
    }

    /**
     * As Kafka Exporter (Go's regexp.MatchString) applies its regexes: found anywhere, unless anchored. Unset is
     * Strimzi's default, {@code .*}.
     */
    private static boolean finds(String regex, String name) {
        return regex == null || Pattern.compile(regex).matcher(name).find();
    }
}
