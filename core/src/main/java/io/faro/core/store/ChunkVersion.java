package io.faro.core.store;

/** A chunk a store holds, and the version of the document it came from: what reconciliation compares. */
public record ChunkVersion(String chunkId, long docVersion) {
}
