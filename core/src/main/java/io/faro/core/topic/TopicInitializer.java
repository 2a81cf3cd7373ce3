package io.faro.core.topic;

import io.faro.core.FaroException;
import io.faro.core.config.FaroConfig;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.kafka.TopicsMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Makes sure FARO's topics are as FARO needs them before a component starts, the way {@code FARO_TOPICS_MODE}
 * says: {@code create} creates and aligns them ({@code faro up}, a cluster of your own); {@code verify} only
 * checks them and refuses to start when one is missing or wrong (the platform owns them, e.g. Strimzi's
 * KafkaTopics).
 */
public final class TopicInitializer {

    private TopicInitializer() {
    }

    /** @param maxDocumentBytes {@code FARO_MAX_DOCUMENT_BYTES}, which {@code faro.documents} must take */
    public static void ensureTopics(KafkaSettings kafka, int maxDocumentBytes) {
        ensureTopics(kafka, maxDocumentBytes, Topics.ALL);
    }

    /** The same for the topics one component needs: the pipeline's, and those of its own ({@link Topics#S3_SOURCE}). */
    public static void ensureTopics(KafkaSettings kafka, int maxDocumentBytes, List<Topics.TopicSpec> topics) {
        TopicsMode mode = kafka.topicsMode();
        try (Admin admin = Admin.create(kafka.clientProperties(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000)))) {
            switch (mode) {
                case CREATE -> TopicCreator.create(admin, kafka.topicPartitions(), topics);
                case VERIFY -> TopicVerifier.verify(admin, maxDocumentBytes, topics);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaroException("interrupted while setting up FARO's topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new FaroException("cannot " + (mode == TopicsMode.CREATE ? "create" : "check") + " FARO's topics on"
                    + " Kafka at " + kafka.bootstrapServers() + " (" + FaroConfig.TOPICS_MODE + "="
                    + mode.name().toLowerCase(Locale.ROOT) + "): " + rootMessage(e)
                    + ". Is the broker running and reachable?", e);
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
