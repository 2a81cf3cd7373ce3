package io.faro.core.kafka;

import io.faro.core.Component;
import io.faro.core.Connector;
import io.faro.core.topic.Topics;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;

/**
 * Every id FARO uses in Kafka, per component and per command: the topics it reads and writes, its consumer
 * groups (a Kafka Streams application id is its group id), its transactional id prefixes, and the prefix of
 * the internal topics (changelogs) Kafka Streams creates for it. Least-privilege ACLs are written from this
 * ({@code faro kafka-ids} prints it), and the Strimzi KafkaUsers are checked against it.
 *
 * <p>The names Kafka Streams 4.1 derives from an application id: the transactional id of each stream
 * thread's producer under {@code exactly_once_v2} is {@code <application.id>-<process id>-<thread index>}
 * (the process id is a UUID), and internal topics are {@code <application.id>-<store>-changelog} or
 * {@code -repartition}. Both vary, so ACLs name them by prefix.
 *
 * <p>Replays (rebuild, re-embed, reconcile) and the gateway's dead-letter follower read with assigned partitions
 * and no consumer group, so they need read access to the topic alone. Every component describes FARO's topics at start-up to check them;
 * with {@link TopicsMode#CREATE} it also creates and alters them.
 */
public final class KafkaIds {

    public static final String INGEST_APPLICATION_ID = "faro-ingest";
    /**
     * The consumer group of the S3 bucket source on its state topic: the one member assigned its single partition
     * lists the buckets, the others wait.
     */
    public static final String S3_SOURCE_GROUP = "faro-s3-source";
    /**
     * What the S3 source's transactional id starts with. It is fixed ({@code faro-s3-source-0}), not per process: a
     * new lister's first transaction fences the producer of any former one that may still be running.
     */
    public static final String S3_SOURCE_TRANSACTIONAL_ID_PREFIX = "faro-s3-source-";
    /** The consumer group of the chunk archive on {@code faro.chunks}. */
    public static final String CHUNK_ARCHIVE_GROUP = "faro-chunk-archive";
    private static final String SINK_APPLICATION_PREFIX = "faro-sink-";
    private static final String SINK_COMPONENT_PREFIX = "sink-";

    private KafkaIds() {
    }

    /** The Kafka Streams application (and consumer group) of the sink of this store ({@code pgvector}, {@code qdrant}). */
    public static String sinkApplicationId(String store) {
        return SINK_APPLICATION_PREFIX + store;
    }

    /**
     * The static member id ({@code group.instance.id}) of one instance of an application: a restarted
     * instance takes its partitions back at once. {@code instanceId} ({@code FARO_INSTANCE_ID}) tells replicas apart.
     */
    public static String groupInstanceId(String applicationId, String instanceId) {
        return applicationId + "-" + instanceId;
    }

    /** What every transactional id of an exactly-once Kafka Streams application starts with. */
    public static String transactionalIdPrefix(String applicationId) {
        return applicationId + "-";
    }

    /** What every internal topic of a Kafka Streams application starts with. */
    public static String internalTopicPrefix(String applicationId) {
        return applicationId + "-";
    }

    /**
     * What one component or command uses in Kafka. Lists are empty where it uses none; prefixes end with the
     * separator Kafka Streams puts after them.
     */
    public record Access(String name, List<String> reads, List<String> writes, List<String> groups,
                         List<String> transactionalIdPrefixes, List<String> internalTopicPrefixes) {

        static Access reading(String name, String topic) {
            return new Access(name, List.of(topic), List.of(), List.of(), List.of(), List.of());
        }
    }

    public static Access of(Component component) {
        String documents = Topics.DOCUMENTS.name();
        String chunks = Topics.CHUNKS.name();
        String embeddings = Topics.EMBEDDINGS.name();
        String dlq = Topics.DLQ.name();
        return switch (component) {
            // exactly_once_v2: chunks, embeddings, dead letters and offsets commit in one transaction
            case INGEST -> new Access(component.id(), List.of(documents), List.of(chunks, embeddings, dlq),
                    List.of(INGEST_APPLICATION_ID), List.of(transactionalIdPrefix(INGEST_APPLICATION_ID)),
                    List.of(internalTopicPrefix(INGEST_APPLICATION_ID)));
            // at-least-once with idempotent store writes: no transactions
            case SINK_PGVECTOR, SINK_QDRANT -> {
                String application = sinkApplicationId(component.id().substring(SINK_COMPONENT_PREFIX.length()));
                yield new Access(component.id(), List.of(embeddings), List.of(dlq), List.of(application), List.of(),
                        List.of(internalTopicPrefix(application)));
            }
            // without a group: the background reconciliation reads faro.embeddings, and every replica follows all of
            // faro.dlq for rejected documents; uploads and deletes write faro.documents (idempotent, no transactions)
            case GATEWAY -> new Access(component.id(), List.of(embeddings, dlq), List.of(documents), List.of(),
                    List.of(), List.of());
        };
    }

    public static Access of(Connector connector) {
        String chunks = Topics.CHUNKS.name();
        String state = Topics.S3_SOURCE_STATE.name();
        return switch (connector) {
            // documents and the position they move the source to commit in one transaction
            case S3_SOURCE -> new Access(connector.id(), List.of(state), List.of(Topics.DOCUMENTS.name(), state),
                    List.of(S3_SOURCE_GROUP), List.of(S3_SOURCE_TRANSACTIONAL_ID_PREFIX), List.of());
            // offsets are committed once S3 has the writes; unreadable records go to faro.dlq
            case CHUNK_ARCHIVE -> new Access(connector.id(), List.of(chunks), List.of(Topics.DLQ.name()),
                    List.of(CHUNK_ARCHIVE_GROUP), List.of(), List.of());
        };
    }

    /** Every connector, in the order of {@link Connector}. */
    public static List<Access> connectors() {
        return Arrays.stream(Connector.values()).map(KafkaIds::of).toList();
    }

    /** Every component, in the order of {@link Component}. */
    public static List<Access> components() {
        return Arrays.stream(Component.values()).map(KafkaIds::of).toList();
    }

    /** The commands that reach Kafka on their own, outside any component. */
    public static List<Access> commands() {
        return List.of(
                new Access("faro publish", List.of(), List.of(Topics.DOCUMENTS.name()), List.of(), List.of(), List.of()),
                Access.reading("faro rebuild", Topics.EMBEDDINGS.name()),
                Access.reading("faro reembed", Topics.CHUNKS.name()),
                // reads what faro.chunks holds, to write only the archived chunks it lacks
                new Access("faro restore", List.of(Topics.CHUNKS.name()), List.of(Topics.CHUNKS.name()), List.of(),
                        List.of(), List.of()),
                Access.reading("faro reconcile", Topics.EMBEDDINGS.name()));
    }

    /** The topics every component describes at start-up ({@code TopicInitializer}). */
    public static List<String> topicsCheckedAtStartup() {
        return Topics.ALL.stream().map(Topics.TopicSpec::name).toList();
    }

    /** The topics a connector describes at start-up: those of every component, and its own. */
    public static List<String> topicsCheckedAtStartup(Connector connector) {
        return switch (connector) {
            case S3_SOURCE -> Topics.S3_SOURCE.stream().map(Topics.TopicSpec::name).toList();
            case CHUNK_ARCHIVE -> topicsCheckedAtStartup();
        };
    }

    /**
     * What every component does to {@link #topicsCheckedAtStartup()} at start-up: describe them and their configs;
     * in {@link TopicsMode#CREATE} also create the missing ones and set the configs FARO relies on.
     */
    public static List<AclOperation> topicOperationsAtStartup(TopicsMode mode) {
        return switch (mode) {
            case VERIFY -> List.of(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
            case CREATE -> List.of(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.CREATE,
                    AclOperation.ALTER_CONFIGS);
        };
    }

    /** An operation as Kafka's ACL tools and Strimzi's KafkaUser spell it: {@code DescribeConfigs}. */
    public static String aclName(AclOperation operation) {
        return Arrays.stream(operation.name().split("_"))
                .map(word -> word.charAt(0) + word.substring(1).toLowerCase(Locale.ROOT))
                .collect(Collectors.joining());
    }
}
