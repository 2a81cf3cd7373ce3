package io.faro.core.testing;

import io.faro.core.store.StoreQuery;
import io.faro.core.store.SearchMode;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.ChunkVersion;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.ModelMismatchException;
import io.faro.core.store.StoreException;
import io.faro.core.store.StoredDocument;
import io.faro.core.store.VectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Test double of a {@link VectorStore}: keeps chunks in memory and searches them by exact cosine
 * similarity, best first (ties by chunk id). It can be told to fail every call, to answer searches
 * slowly, and it records what it was asked, for tests of the code that uses stores. Like the real
 * stores it holds one model's vectors: the first write fixes the model, and a write of another
 * model's vectors is refused until {@link #switchModel} simulates a re-embedding switch.
 */
public final class InMemoryVectorStore implements VectorStore {

    private final String name;
    private final Map<String, EmbeddedChunk> chunks = new LinkedHashMap<>();
    private final List<Integer> upsertBatchSizes = new ArrayList<>();
    private volatile boolean failing;
    private volatile Duration delay = Duration.ZERO;
    private volatile int lastTopK = -1;
    private volatile int writeAttempts;
    private String model;

    public InMemoryVectorStore(String name) {
        this.name = name;
    }

    /** Makes a new, empty copy of another model live, as {@code faro reembed}'s switch does. */
    public synchronized void switchModel(String model) {
        this.model = model;
        chunks.clear();
    }

    /** While on, every call fails as a store that is down does. */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Makes every search wait this long before answering. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    public int lastTopK() {
        return lastTopK;
    }

    public int writeAttempts() {
        return writeAttempts;
    }

    public synchronized List<Integer> upsertBatchSizes() {
        return List.copyOf(upsertBatchSizes);
    }

    public synchronized Map<String, EmbeddedChunk> rows() {
        return Map.copyOf(chunks);
    }

    @Override
    public String name() {
        return name;
    }

    private void failIfDown() {
        if (failing) {
            throw new StoreException(name + ": connection refused (test double)");
        }
    }

    @Override
    public synchronized void upsert(List<EmbeddedChunk> batch) {
        writeAttempts++;
        failIfDown();
        upsertBatchSizes.add(batch.size());
        if (model == null && !batch.isEmpty()) {
            model = batch.getFirst().model();
        }
        for (EmbeddedChunk chunk : batch) {
            if (!chunk.model().equals(model)) {
                throw new ModelMismatchException(name, model, chunk.model());
            }
        }
        batch.forEach(chunk -> chunks.put(chunk.chunkId(), chunk));
    }

    @Override
    public synchronized void delete(Collection<String> chunkIds) {
        writeAttempts++;
        failIfDown();
        chunkIds.forEach(chunks::remove);
    }

    @Override
    public synchronized void deleteDocument(String docId) {
        failIfDown();
        chunks.values().removeIf(chunk -> chunk.chunk().docId().equals(docId));
    }

    @Override
    public List<SearchHit> search(StoreQuery query) {
        if (query.mode() != SearchMode.DENSE) {
            throw new UnsupportedOperationException(query.mode().wireName() + " search is not built yet");
        }
        return searchDense(query.vector(), query.topK(), query.filter());
    }

    private List<SearchHit> searchDense(float[] vector, int topK, MetadataFilter filter) {
        lastTopK = topK;
        failIfDown();
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
                boolean matches = filter.equalTo().entrySet().stream().allMatch(e ->
                        String.valueOf(chunk.metadata().get(e.getKey())).equals(String.valueOf(e.getValue())))
                        && filter.scope().permits(chunk.tenant(), chunk.acl());
                if (matches) {
                    hits.add(new SearchHit(chunk.docId(), chunk.chunkId(), chunk.chunkIndex(), chunk.title(),
                            chunk.text(), chunk.metadata(), cosine(vector, embedded.vector()), embedded.model()));
                }
            }
        }
        return hits.stream()
                .sorted(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::chunkId))
                .limit(topK)
                .toList();
    }

    @Override
    public synchronized String liveModel() {
        failIfDown();
        return model == null ? "" : model;
    }

    @Override
    public synchronized long count() {
        failIfDown();
        return chunks.size();
    }

    @Override
    public void visitVersions(int pageSize, Consumer<List<ChunkVersion>> page) {
        List<ChunkVersion> all;
        synchronized (this) {
            failIfDown();
            all = chunks.values().stream().map(e -> new ChunkVersion(e.chunkId(), e.chunk().docVersion())).toList();
        }
        for (int from = 0; from < all.size(); from += pageSize) {
            page.accept(all.subList(from, Math.min(all.size(), from + pageSize)));
        }
    }

    @Override
    public synchronized StoredDocument describe(String docId) {
        failIfDown();
        List<EmbeddedChunk> held = chunks.values().stream().filter(e -> e.chunk().docId().equals(docId)).toList();
        if (held.isEmpty()) {
            return StoredDocument.ABSENT;
        }
        EmbeddedChunk newest = held.stream().max(Comparator.comparingLong(e -> e.chunk().docVersion())).orElseThrow();
        return new StoredDocument(held.stream().map(EmbeddedChunk::chunkId).collect(Collectors.toSet()),
                newest.chunk().docVersion(),
                held.stream().mapToLong(e -> e.chunk().docVersion()).min().orElseThrow(), Optional.empty(),
                newest.chunk().acl());
    }

    @Override
    public boolean isReachable() {
        return !failing;
    }

    @Override
    public void close() {
    }

    public static double cosine(float[] a, float[] b) {
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
