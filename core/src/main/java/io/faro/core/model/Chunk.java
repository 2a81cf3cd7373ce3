package io.faro.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One piece of a document, as written to {@code faro.chunks}, keyed by {@link #chunkId()}.
 * {@code docVersion} is the offset of the document's record in {@code faro.documents}: records of one
 * document share a partition, so a later publication always has a higher version.
 */
public record Chunk(String chunkId, String docId, long docVersion, int chunkIndex, String title, String text,
                    Map<String, Object> metadata) {

    public Chunk {
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(docId, "docId");
        Objects.requireNonNull(text, "text");
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Deterministic id: the same document and position always give the same chunk id. */
    public static String idOf(String docId, int chunkIndex) {
        return docId + "#" + chunkIndex;
    }
}
