package io.faro.core.topic;

import io.faro.core.FaroException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates FARO's topics when they are missing; existing topics are left as they are. */
public final class TopicInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicInitializer.class);

    private TopicInitializer() {
    }

    public static void ensureTopics(String bootstrapServers, int partitions) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.ALL.stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> new NewTopic(topic.name(), Optional.of(partitions), Optional.empty())
                            .configs(topic.configs()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("created topic {} ({} partitions)", result.getKey(), partitions);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaroException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new FaroException("cannot create FARO's topics on Kafka at " + bootstrapServers
                    + ": " + rootMessage(e) + ". Is the broker running and reachable?", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
