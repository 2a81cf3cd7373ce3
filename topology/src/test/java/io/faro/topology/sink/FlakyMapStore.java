package io.faro.topology.sink;

import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A map-backed store that can be made to refuse writes, for sink behaviour under failure. */
final class FlakyMapStore implements VectorStore {

    final Map<String, EmbeddedChunk> rows = new LinkedHashMap<>();
    final List<Integer> upsertBatchSizes = new ArrayList<>();
    boolean failing;
    int attempts;

    @Override
    public java.util.Map<String, Long> versions() {
        java.util.Map<String, Long> versions = new java.util.HashMap<>();
        rows.values().forEach(e -> versions.put(e.chunkId(), e.chunk().docVersion()));
        return versions;
    }

    @Override
    public String name() {
        return "test-store";
    }

    @Override
    public void upsert(List<EmbeddedChunk> batch) {
        attempts++;
        if (failing) {
            throw new StoreException("store down");
        }
        upsertBatchSizes.add(batch.size());
        batch.forEach(e -> rows.put(e.chunkId(), e));
    }

    @Override
    public void delete(Collection<String> chunkIds) {
        attempts++;
        if (failing) {
            throw new StoreException("store down");
        }
        chunkIds.forEach(rows::remove);
    }

    @Override
    public io.faro.core.store.StoredDocument describe(String docId) {
        java.util.List<EmbeddedChunk> held = rows.values().stream()
                .filter(e -> e.chunk().docId().equals(docId)).toList();
        if (held.isEmpty()) {
            return io.faro.core.store.StoredDocument.ABSENT;
        }
        return new io.faro.core.store.StoredDocument(
                held.stream().map(EmbeddedChunk::chunkId).collect(java.util.stream.Collectors.toSet()),
                held.stream().mapToLong(e -> e.chunk().docVersion()).max().orElseThrow(),
                    held.stream().mapToLong(e -> e.chunk().docVersion()).min().orElseThrow(), java.util.Optional.empty());
    }

    @Override
    public void deleteDocument(String docId) {
        rows.values().removeIf(e -> e.chunk().docId().equals(docId));
    }

    @Override
    public List<SearchHit> search(float[] vector, int topK, io.faro.core.store.MetadataFilter filter) {
        throw new UnsupportedOperationException("not needed by sink tests");
    }

    @Override
    public long count() {
        return rows.size();
    }

    @Override
    public boolean isReachable() {
        return !failing;
    }

    @Override
    public void close() {
    }
}
