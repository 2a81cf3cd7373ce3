package io.faro.core.topic;

import java.util.List;
import java.util.Map;

/** The topics FARO reads and writes: the one place their names and settings live. */
public final class Topics {

    public static final TopicSpec DOCUMENTS = new TopicSpec("faro.documents", Map.of());
    /** Every chunk's text, keyed by chunk id: compacted, so {@code faro reembed} can replay every live chunk. */
    public static final TopicSpec CHUNKS = new TopicSpec("faro.chunks", Map.of("cleanup.policy", "compact"));
    /** The system of record for vectors: compacted, so the latest embedding of every chunk is kept. */
    public static final TopicSpec EMBEDDINGS = new TopicSpec("faro.embeddings", Map.of("cleanup.policy", "compact"));
    public static final TopicSpec DLQ = new TopicSpec("faro.dlq", Map.of());

    public static final List<TopicSpec> ALL = List.of(DOCUMENTS, CHUNKS, EMBEDDINGS, DLQ);

    private Topics() {
    }

    /** A topic's name and the configs it is created with. */
    public record TopicSpec(String name, Map<String, String> configs) {
    }
}
