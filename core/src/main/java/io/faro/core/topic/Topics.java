package io.faro.core.topic;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** The topics FARO reads and writes: the one place their names and settings live. */
public final class Topics {

    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String COMPACT = "compact";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";

    public static final TopicSpec DOCUMENTS = new TopicSpec("faro.documents", Map.of());
    /** Every chunk's text, keyed by chunk id: compacted, so {@code faro reembed} can replay every live chunk. */
    public static final TopicSpec CHUNKS = new TopicSpec("faro.chunks", Map.of(CLEANUP_POLICY, COMPACT));
    /** The system of record for vectors: compacted, so the latest embedding of every chunk is kept. */
    public static final TopicSpec EMBEDDINGS = new TopicSpec("faro.embeddings", Map.of(CLEANUP_POLICY, COMPACT));
    public static final TopicSpec DLQ = new TopicSpec("faro.dlq", Map.of());

    public static final List<TopicSpec> ALL = List.of(DOCUMENTS, CHUNKS, EMBEDDINGS, DLQ);

    /**
     * What the S3 bucket source has seen of each object it watches, keyed by the object's {@code s3://} URI, written
     * in the same transaction as the documents it publishes: its position, which survives restarts and moves
     * between replicas. Compacted, so the latest state of every object is kept, and one partition: the replica
     * that is assigned it is the one that lists the buckets. Only the source uses it, so only the source creates
     * or checks it ({@link #S3_SOURCE}); the pipeline's components need it not.
     */
    public static final TopicSpec S3_SOURCE_STATE = new TopicSpec("faro.s3-source.state",
            Map.of(CLEANUP_POLICY, COMPACT), OptionalInt.of(1));

    /** The topics {@code faro run s3-source} needs at start-up: the pipeline's and its own state. */
    public static final List<TopicSpec> S3_SOURCE = List.of(DOCUMENTS, CHUNKS, EMBEDDINGS, DLQ, S3_SOURCE_STATE);

    /** Every topic FARO uses, the pipeline's and the connectors': what a platform that owns them declares. */
    public static final List<TopicSpec> EVERY = List.of(DOCUMENTS, CHUNKS, EMBEDDINGS, DLQ, S3_SOURCE_STATE);

    /**
     * Room a record needs besides its value: a key of up to 1,024 characters (4 KiB of UTF-8), the record and
     * batch headers, and the error headers a dead letter carries.
     */
    private static final int RECORD_OVERHEAD_BYTES = 8 * 1024;

    private Topics() {
    }

    /**
     * The {@code max.message.bytes} that {@code faro.documents} needs so that a document of
     * {@code FARO_MAX_DOCUMENT_BYTES} fits, and so does {@code faro.dlq}, which receives documents unchanged.
     */
    public static int documentRecordBytes(int maxDocumentBytes) {
        return maxDocumentBytes + RECORD_OVERHEAD_BYTES;
    }

    /**
     * A topic's name, the configs it is created with, and its partitions when FARO relies on a number of them
     * (empty: {@code FARO_TOPIC_PARTITIONS}).
     */
    public record TopicSpec(String name, Map<String, String> configs, OptionalInt partitions) {

        public TopicSpec(String name, Map<String, String> configs) {
            this(name, configs, OptionalInt.empty());
        }

        /** Whether FARO relies on this topic keeping the latest record of every key. */
        public boolean compacted() {
            return COMPACT.equals(configs.get(CLEANUP_POLICY));
        }
    }
}
