package io.faro.deploy.strimzi;

import io.faro.core.config.FaroConfig;
import io.faro.core.topic.TopicVerifier;
import io.faro.core.topic.Topics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * FARO's KafkaTopics ({@code strimzi/topics.yaml}) against FARO: every topic of {@link Topics#EVERY} declared, with
 * what FARO checks at start-up ({@link TopicVerifier}, the very rule of {@code FARO_TOPICS_MODE=verify}), three
 * replicas and {@code min.insync.replicas} 2, and tombstones that outlive a store outage or a rebuild.
 */
final class TopicCheck {

    static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    static final String DELETE_RETENTION_MS = "delete.retention.ms";
    static final String RETENTION_MS = "retention.ms";
    /** How long a store may be down or a rebuild may take, and its deletes still be replayed (strimzi/README.md). */
    static final Duration TOMBSTONES_KEPT = Duration.ofDays(7);

    private TopicCheck() {
    }

    /** The topic a KafkaTopic makes: {@code spec.topicName}, else its name. */
    static String topicName(KafkaTopic topic) {
        return Objects.requireNonNullElse(topic.getSpec().getTopicName(), topic.getMetadata().getName());
    }

    static List<String> problems(List<KafkaTopic> topics, Kafka kafka) {
        List<String> problems = new ArrayList<>();
        String cluster = kafka.getMetadata().getName();
        Map<String, Object> broker = Objects.requireNonNullElse(kafka.getSpec().getKafka().getConfig(), Map.of());
        Map<String, Map<String, String>> declared = new LinkedHashMap<>();
        for (KafkaTopic topic : topics) {
            String name = topicName(topic);
            Map<String, String> config = new LinkedHashMap<>();
            Objects.requireNonNullElse(topic.getSpec().getConfig(), Map.<String, Object>of())
                    .forEach((key, value) -> config.put(key, String.valueOf(value)));
            declared.put(name, config);
            problems.addAll(topicProblems(topic, name, cluster, config));
        }
        long brokerMessageMaxBytes = Long.parseLong(String.valueOf(broker.getOrDefault(ClusterCheck.MESSAGE_MAX_BYTES,
                "-1")));
        problems.addAll(TopicVerifier.problems(declared, brokerMessageMaxBytes, FaroConfig.DEFAULT_MAX_DOCUMENT_BYTES,
                Topics.EVERY));
        return problems;
    }

    private static List<String> topicProblems(KafkaTopic topic, String name, String cluster, Map<String, String> config) {
        List<String> problems = new ArrayList<>();
        var spec = Topics.EVERY.stream().filter(t -> t.name().equals(name)).findFirst();
        if (spec.isEmpty()) {
            problems.add("KafkaTopic " + name + " is none of FARO's topics " + Topics.EVERY.stream()
                    .map(Topics.TopicSpec::name).toList());
            return problems;
        }
        Map<String, String> labels = Objects.requireNonNullElse(topic.getMetadata().getLabels(), Map.of());
        if (!cluster.equals(labels.get("strimzi.io/cluster"))) {
            problems.add(name + " is not labelled strimzi.io/cluster: " + cluster + ", so no Topic Operator makes it");
        }
        if (topic.getSpec().getPartitions() == null || topic.getSpec().getPartitions() < 1) {
            problems.add(name + " must state its partitions: they bound how many replicas of a component share it");
        }
        if (!Integer.valueOf(ClusterCheck.REPLICAS).equals(topic.getSpec().getReplicas())) {
            problems.add(name + " has " + topic.getSpec().getReplicas() + " replicas, but must have "
                    + ClusterCheck.REPLICAS + ", one per zone");
        }
        if (!String.valueOf(ClusterCheck.MIN_IN_SYNC_REPLICAS).equals(config.get(MIN_INSYNC_REPLICAS))) {
            problems.add(name + " has " + MIN_INSYNC_REPLICAS + "=" + config.get(MIN_INSYNC_REPLICAS) + ", but must have "
                    + ClusterCheck.MIN_IN_SYNC_REPLICAS + ": a write is committed on two zones");
        }
        if (spec.get().compacted()) {
            String kept = config.get(DELETE_RETENTION_MS);
            if (kept == null || Long.parseLong(kept) < TOMBSTONES_KEPT.toMillis()) {
                problems.add(name + " has " + DELETE_RETENTION_MS + "=" + kept + ": keep tombstones at least "
                        + TOMBSTONES_KEPT.toMillis() + " ms (" + TOMBSTONES_KEPT.toDays() + " days), longer than a"
                        + " store may be down or a rebuild may take, or a replay misses deletes");
            }
        } else if (config.get(RETENTION_MS) == null) {
            problems.add(name + " must state its " + RETENTION_MS + ": how long its records are kept");
        }
        return problems;
    }
}
