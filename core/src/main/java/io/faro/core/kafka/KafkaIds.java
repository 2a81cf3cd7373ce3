package io.faro.core.kafka;

import io.faro.core.Component;
import io.faro.core.topic.Topics;
import java.util.List;

/**
 * Every id FARO uses in Kafka, per component: the topics it reads and writes, its consumer groups (a
 * Kafka Streams application id is its group id), its transactional id prefixes, and the prefix of the
 * internal topics (changelogs) Kafka Streams creates for it. Least-privilege ACLs are written from this
 * ({@code faro kafka-ids} prints it), and the Strimzi KafkaUsers are checked against it.
 *
 * <p>Replays (rebuild, re-embed, reconcile) read with assigned partitions and no consumer group, so
 * they need read access to the topic alone. Every component describes FARO's topics at start-up to
 * check them ({@link TopicsMode#VERIFY}); in {@link TopicsMode#CREATE} it also creates and alters them.
 */
public final class KafkaIds {

    public static final String INGEST_APPLICATION_ID = "faro-ingest";
    private static final String SINK_APPLICATION_PREFIX = "faro-sink-";

    private KafkaIds() {
    }

    /** The Kafka Streams application (and consumer group) of the sink of this store ({@code pgvector}, {@code qdrant}). */
    public static String sinkApplicationId(String store) {
        return SINK_APPLICATION_PREFIX + store;
    }

    /**
     * What one component uses. {@code applicationId} is empty for a component that runs no Kafka Streams
     * application; prefixes end with the separator Kafka Streams puts after them.
     */
    public record Access(Component component, List<String> reads, List<String> writes, List<String> groups,
                         List<String> transactionalIdPrefixes, List<String> internalTopicPrefixes) {
    }

    public static Access of(Component component) {
        String documents = Topics.DOCUMENTS.name();
        String chunks = Topics.CHUNKS.name();
        String embeddings = Topics.EMBEDDINGS.name();
        String dlq = Topics.DLQ.name();
        return switch (component) {
            case INGEST -> new Access(component, List.of(documents), List.of(chunks, embeddings, dlq),
                    List.of(INGEST_APPLICATION_ID), List.of(INGEST_APPLICATION_ID + "-"),
                    List.of(INGEST_APPLICATION_ID + "-"));
            case SINK_PGVECTOR, SINK_QDRANT -> {
                String application = sinkApplicationId(component.id().substring("sink-".length()));
                yield new Access(component, List.of(embeddings), List.of(dlq), List.of(application), List.of(),
                        List.of(application + "-"));
            }
            // the background reconciliation reads faro.embeddings without a group
            case GATEWAY -> new Access(component, List.of(embeddings), List.of(), List.of(), List.of(), List.of());
        };
    }

    public static List<Access> all() {
        return java.util.Arrays.stream(Component.values()).map(KafkaIds::of).toList();
    }
}
