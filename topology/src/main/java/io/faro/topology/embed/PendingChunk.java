package io.faro.topology.embed;

import io.faro.core.model.Chunk;
import java.util.Optional;

/**
 * A chunk waiting for the embedder, or (when empty) the deletion of a chunk, kept in order with them.
 * {@code publishedAtMs} is the timestamp of the document's record, which the embedding record carries on,
 * so that freshness can be measured where a store writes it; it is null in buffers written before FARO
 * kept it.
 */
public record PendingChunk(String chunkId, Chunk chunk, Long publishedAtMs) {

    public static PendingChunk upsert(Chunk chunk, long publishedAtMs) {
        return new PendingChunk(chunk.chunkId(), chunk, publishedAtMs);
    }

    public static PendingChunk delete(String chunkId, long publishedAtMs) {
        return new PendingChunk(chunkId, null, publishedAtMs);
    }

    public Optional<Chunk> content() {
        return Optional.ofNullable(chunk);
    }

    /** The document's publication time, or {@code fallback} when this entry predates it being kept. */
    public long publishedAtOr(long fallback) {
        return publishedAtMs == null ? fallback : publishedAtMs;
    }
}
