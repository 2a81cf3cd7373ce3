package io.faro.topology.sink;

import io.faro.core.model.EmbeddedChunk;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A pending store write for one chunk: an upsert of its embedding, or (when empty) a delete.
 * {@code publishedAtMs} is the embedding record's timestamp, its document's publication time; null in
 * buffers written before FARO kept it.
 */
public record SinkOp(String chunkId, EmbeddedChunk upsert, Long publishedAtMs) {

    public static SinkOp delete(String chunkId, long publishedAtMs) {
        return new SinkOp(chunkId, null, publishedAtMs);
    }

    public Optional<EmbeddedChunk> embedding() {
        return Optional.ofNullable(upsert);
    }

    public OptionalLong publishedAt() {
        return publishedAtMs == null ? OptionalLong.empty() : OptionalLong.of(publishedAtMs);
    }
}
