package io.faro.topology.sink;

import io.faro.core.model.EmbeddedChunk;
import java.util.Optional;

/** A pending store write for one chunk: an upsert of its embedding, or (when empty) a delete. */
public record SinkOp(String chunkId, EmbeddedChunk upsert) {

    public static SinkOp delete(String chunkId) {
        return new SinkOp(chunkId, null);
    }

    public Optional<EmbeddedChunk> embedding() {
        return Optional.ofNullable(upsert);
    }
}
