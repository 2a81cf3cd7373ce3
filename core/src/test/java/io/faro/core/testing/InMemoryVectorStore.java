package io.faro.core.testing;

import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.ChunkVersion;
import io.faro.core.store.Fusion;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.ModelMismatchException;
import io.faro.core.store.SearchMode;
import io.faro.core.store.StoreException;
import io.faro.core.store.StoreQuery;
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
 * similarity, best first (ties by chunk id); by words ({@code keyword}: BM25 over lower-cased words, without the
 * real stores' stemming and stop words); or both fused by reciprocal rank ({@code hybrid}, {@link Fusion}), with
 * the ranks explained when asked. It can be told to fail every call, to answer searches
 * slowly, and it records what it was asked, for tests of the code that uses stores. Like the real
 * stores it holds one model's vectors: the first write fixes the model, and a write of another
 * model's vectors is refused until {@link #switchModel} simulates a re-embedding switch.
 */
public final class InMemoryVectorStore implements VectorStore {

    /** BM25's term-frequency saturation and length normalisation, and the length it normalises against. */
    private static final double K1 = 1.2;
    private static final double B = 0.75;
    private static final double AVERAGE_LENGTH = 100.0;

    private final String name;
    private final Map<String, EmbeddedChunk> chunks = new LinkedHashMap<>();
    private final List<Integer> upsertBatchSizes = new ArrayList<>();
    private volatile boolean failing;
    private volatile Duration delay = Duration.ZERO;
    private volatile int lastTopK = -1;
    private volatile StoreQuery lastQuery;
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
        lastTopK = query.topK();
        lastQuery = query;
        failIfDown();
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(name + ": interrupted (test double)");
        }
        List<EmbeddedChunk> permitted;
        Map<String, Integer> holding;
        int total;
        synchronized (this) {
            permitted = chunks.values().stream().filter(e -> matches(e, query.filter())).toList();
            holding = documentFrequencies();
            total = chunks.size();
        }
        List<SearchHit> hits = switch (query.mode()) {
            case DENSE -> dense(permitted, query.vector(), query.topK());
            case KEYWORD -> keyword(permitted, query.text(), holding, total, query.topK());
            case HYBRID -> hybrid(permitted, query, holding, total);
        };
        return query.explain() && query.mode() != SearchMode.HYBRID ? query.mode().explainInOrder(hits) : hits;
    }

    /** The last query a search was asked, whatever its mode; {@code null} before the first. */
    public StoreQuery lastQuery() {
        return lastQuery;
    }

    private static boolean matches(EmbeddedChunk embedded, MetadataFilter filter) {
        var chunk = embedded.chunk();
        return filter.equalTo().entrySet().stream().allMatch(e ->
                String.valueOf(chunk.metadata().get(e.getKey())).equals(String.valueOf(e.getValue())))
                && filter.scope().permits(chunk.tenant(), chunk.acl());
    }

    private static List<SearchHit> dense(List<EmbeddedChunk> permitted, float[] vector, int limit) {
        return best(permitted.stream().map(e -> hit(e, cosine(vector, e.vector()))).toList(), limit);
    }

    /**
     * BM25 over lower-cased words of each chunk's {@link io.faro.core.model.Chunk#contextText()} (no stemming and
     * no stop words, unlike the real stores' analyser), with the IDF over every chunk held and the length
     * normalised against {@link #AVERAGE_LENGTH} as the stores do; chunks sharing no word are not hits.
     */
    private static List<SearchHit> keyword(List<EmbeddedChunk> permitted, String text, Map<String, Integer> holding,
                                           int total, int limit) {
        List<String> asked = words(text).stream().distinct().toList();
        List<SearchHit> hits = new ArrayList<>();
        for (EmbeddedChunk embedded : permitted) {
            List<String> words = words(embedded.chunk().contextText());
            double score = 0;
            for (String word : asked) {
                int tf = java.util.Collections.frequency(words, word);
                if (tf > 0) {
                    int n = holding.getOrDefault(word, 0);
                    double idf = Math.log(1 + (total - n + 0.5) / (n + 0.5));
                    score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * words.size() / AVERAGE_LENGTH));
                }
            }
            if (score > 0) {
                hits.add(hit(embedded, score));
            }
        }
        return best(hits, limit);
    }

    /** Both lists, each {@link Fusion#candidates} long, fused by {@link Fusion#rrf}, as the stores fuse them. */
    private static List<SearchHit> hybrid(List<EmbeddedChunk> permitted, StoreQuery query,
                                          Map<String, Integer> holding, int total) {
        int candidates = Fusion.candidates(query.topK());
        List<SearchHit> dense = dense(permitted, query.vector(), candidates);
        List<SearchHit> keyword = keyword(permitted, query.text(), holding, total, candidates);
        Map<String, SearchHit> byId = new LinkedHashMap<>();
        Map<String, Double> fused = new HashMap<>();
        Map<String, SearchHit.Ranks> ranks = new HashMap<>();
        for (int i = 0; i < dense.size(); i++) {
            SearchHit hit = dense.get(i);
            byId.put(hit.chunkId(), hit);
            fused.merge(hit.chunkId(), Fusion.rrf(i + 1, Fusion.DENSE_WEIGHT), Double::sum);
            ranks.put(hit.chunkId(), new SearchHit.Ranks(i + 1, hit.score(), null, null));
        }
        for (int i = 0; i < keyword.size(); i++) {
            SearchHit hit = keyword.get(i);
            byId.putIfAbsent(hit.chunkId(), hit);
            fused.merge(hit.chunkId(), Fusion.rrf(i + 1, Fusion.KEYWORD_WEIGHT), Double::sum);
            SearchHit.Ranks denseSide = ranks.get(hit.chunkId());
            ranks.put(hit.chunkId(), new SearchHit.Ranks(denseSide == null ? null : denseSide.denseRank(),
                    denseSide == null ? null : denseSide.denseScore(), i + 1, hit.score()));
        }
        List<SearchHit> hits = byId.values().stream()
                .map(hit -> new SearchHit(hit.docId(), hit.chunkId(), hit.chunkIndex(), hit.title(), hit.text(),
                        hit.metadata(), fused.get(hit.chunkId()), hit.model(),
                        query.explain() ? ranks.get(hit.chunkId()) : null))
                .toList();
        return best(hits, query.topK());
    }


    private Map<String, Integer> documentFrequencies() {
        Map<String, Integer> holding = new HashMap<>();
        for (EmbeddedChunk embedded : chunks.values()) {
            new java.util.HashSet<>(words(embedded.chunk().contextText()))
                    .forEach(word -> holding.merge(word, 1, Integer::sum));
        }
        return holding;
    }

    /** Lower-cased runs of letters and digits. */
    static List<String> words(String text) {
        return java.util.Arrays.stream(text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(word -> !word.isEmpty())
                .toList();
    }

    private static SearchHit hit(EmbeddedChunk embedded, double score) {
        var chunk = embedded.chunk();
        return new SearchHit(chunk.docId(), chunk.chunkId(), chunk.chunkIndex(), chunk.title(), chunk.text(),
                chunk.metadata(), score, embedded.model());
    }

    /** Best first, ties by chunk id, at most {@code limit}. */
    private static List<SearchHit> best(List<SearchHit> hits, int limit) {
        return hits.stream()
                .sorted(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::chunkId))
                .limit(limit)
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
