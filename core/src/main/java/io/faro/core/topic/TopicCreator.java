package io.faro.core.topic;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code FARO_TOPICS_MODE=create}: creates the topics a component needs when they are missing, and sets the
 * configs FARO relies on (compaction) on topics that exist without them; other configs and the partition count
 * are left as they are.
 */
final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private TopicCreator() {
    }

    /** @param partitions {@code FARO_TOPIC_PARTITIONS}, for the topics that rely on no number of their own */
    static void create(Admin admin, int partitions, List<Topics.TopicSpec> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = topics.stream()
                .filter(topic -> !existing.contains(topic.name()))
                .map(topic -> new NewTopic(topic.name(), Optional.of(topic.partitions().orElse(partitions)),
                        Optional.empty()).configs(topic.configs()))
                .toList();
        alignConfigs(admin, existing, topics);
        Map<String, Integer> counts = new HashMap<>();
        missing.forEach(topic -> counts.put(topic.name(), topic.numPartitions()));
        for (var result : admin.createTopics(missing).values().entrySet()) {
            try {
                result.getValue().get(30, TimeUnit.SECONDS);
                LOG.info("created topic {} ({} partitions)", result.getKey(), counts.get(result.getKey()));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private static void alignConfigs(Admin admin, Set<String> existing, List<Topics.TopicSpec> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Topics.TopicSpec> present = topics.stream()
                .filter(topic -> existing.contains(topic.name()) && !topic.configs().isEmpty()).toList();
        if (present.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> current = admin.describeConfigs(present.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic.name())).toList())
                .all().get(30, TimeUnit.SECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        for (Topics.TopicSpec topic : present) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
            List<AlterConfigOp> ops = topic.configs().entrySet().stream()
                    .filter(wanted -> {
                        ConfigEntry entry = current.get(resource).get(wanted.getKey());
                        return entry == null || !wanted.getValue().equals(entry.value());
                    })
                    .map(wanted -> new AlterConfigOp(new ConfigEntry(wanted.getKey(), wanted.getValue()),
                            AlterConfigOp.OpType.SET))
                    .toList();
            if (!ops.isEmpty()) {
                LOG.info("setting {} on existing topic {}", topic.configs(), topic.name());
                changes.put(resource, ops);
            }
        }
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
        }
    }
}
