package io.faro.gateway;

import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test double: keeps upserted chunks in memory and searches them by exact cosine similarity, best
 * first (ties by chunk id). {@link #failing(boolean)} makes every search throw {@link StoreException}.
 */
final class InMemoryVectorStore implements VectorStore {

    private final Map<String, EmbeddedChunk> chunks = new LinkedHashMap<>();
    private final String name;
    private volatile boolean failing;
    private volatile java.time.Duration delay = java.time.Duration.ZERO;
    private volatile int lastTopK = -1;

    InMemoryVectorStore() {
        this("pgvector");
    }

    InMemoryVectorStore(String name) {
        this.name = name;
    }

    /** Makes every search wait this long before answering. */
    void delay(java.time.Duration delay) {
        this.delay = delay;
    }

    @Override
    public java.util.Map<String, Long> versions() {
        java.util.Map<String, Long> versions = new java.util.HashMap<>();
        chunks.values().forEach(e -> versions.put(e.chunkId(), e.chunk().docVersion()));
        return versions;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized io.faro.core.store.StoredDocument describe(String docId) {
        java.util.List<EmbeddedChunk> held = chunks.values().stream()
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
    public synchronized void deleteDocument(String docId) {
        chunks.values().removeIf(chunk -> chunk.chunk().docId().equals(docId));
    }

    @Override
    public synchronized void upsert(List<EmbeddedChunk> batch) {
        batch.forEach(chunk -> chunks.put(chunk.chunkId(), chunk));
    }

    @Override
    public synchronized void delete(Collection<String> chunkIds) {
        chunkIds.forEach(chunks::remove);
    }

    @Override
    public List<SearchHit> search(float[] vector, int topK, io.faro.core.store.MetadataFilter filter) {
        lastTopK = topK;
        if (failing) {
            throw new StoreException(name + ": connection refused (test double)");
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(name + ": interrupted (test double)");
        }
        List<SearchHit> hits = new ArrayList<>();
        synchronized (this) {
            for (EmbeddedChunk embedded : chunks.values()) {
                var chunk = embedded.chunk();
                if (!filter.equalTo().entrySet().stream().allMatch(e ->
                        String.valueOf(chunk.metadata().get(e.getKey())).equals(String.valueOf(e.getValue())))) {
                    continue;
                }
                hits.add(new SearchHit(chunk.docId(), chunk.chunkId(), chunk.chunkIndex(), chunk.title(),
                        chunk.text(), chunk.metadata(), cosine(vector, embedded.vector())));
            }
        }
        return hits.stream()
                .sorted(Comparator.comparingDouble(SearchHit::score).reversed()
                        .thenComparing(SearchHit::chunkId))
                .limit(topK)
                .toList();
    }

    @Override
    public synchronized long count() {
        return chunks.size();
    }

    @Override
    public boolean isReachable() {
        return !failing;
    }

    @Override
    public void close() {
    }

    void failing(boolean failing) {
        this.failing = failing;
    }

    /** The top_k of the last search the gateway asked for, or -1 if none. */
    int lastTopK() {
        return lastTopK;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / (Math.sqrt(na) * Math.sqrt(nb));
    }
}
