package io.faro.topology.embed;

import io.faro.core.model.Chunk;
import java.util.Optional;

/** A chunk waiting for the embedder, or (when empty) the deletion of a chunk, kept in order with them. */
public record PendingChunk(String chunkId, Chunk chunk) {

    public static PendingChunk upsert(Chunk chunk) {
        return new PendingChunk(chunk.chunkId(), chunk);
    }

    public static PendingChunk delete(String chunkId) {
        return new PendingChunk(chunkId, null);
    }

    public Optional<Chunk> content() {
        return Optional.ofNullable(chunk);
    }
}
