package io.faro.core.store;

import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A place that keeps chunk vectors and searches them by cosine similarity. Writes are idempotent
 * upserts keyed by chunk id, so replaying a batch converges to the same state; a write returns only
 * once it is durable. Thread-safe.
 */
public interface VectorStore extends AutoCloseable {

    /** Short name used in logs, metrics and responses: {@code pgvector}, {@code qdrant}. */
    String name();

    /**
     * Writes the batch durably before returning; a later write of the same chunk id replaces it.
     *
     * @throws ModelMismatchException when a vector was made by another model than {@link #liveModel()}:
     *         nothing of the batch is written
     */
    void upsert(List<EmbeddedChunk> batch);

    /** Deletes these chunks; ids that are not there are ignored. */
    void delete(Collection<String> chunkIds);

    /** Deletes every chunk of the document. */
    void deleteDocument(String docId);

    /**
     * The {@code topK} chunks that best match the query and its filter, best first: nearest to its vector
     * ({@link SearchMode#DENSE}), highest by BM25 over its words ({@link SearchMode#KEYWORD}), or both fused
     * by reciprocal rank ({@link SearchMode#HYBRID}, {@link Fusion}), in one call to the store.
     */
    List<SearchHit> search(StoreQuery query);

    /** The {@code topK} chunks nearest to the vector that match the filter, best first. */
    default List<SearchHit> search(float[] vector, int topK, MetadataFilter filter) {
        return search(StoreQuery.dense(vector, topK, filter));
    }

    default List<SearchHit> search(float[] vector, int topK) {
        return search(vector, topK, MetadataFilter.NONE);
    }

    long count();

    /**
     * The model whose vectors the store's live copy holds, looked up now: {@code faro reembed} can
     * switch it while FARO runs.
     */
    String liveModel();

    /** What the store holds of this document ({@link StoredDocument#ABSENT} when nothing). */
    StoredDocument describe(String docId);

    /**
     * Hands every chunk the store holds, with its document version, to {@code page}, at most
     * {@code pageSize} at a time, in an order of the store's choosing. The store holds one page at a time,
     * so a store of any size is listed in bounded memory: what reconciliation and a rebuild's verification read.
     */
    void visitVersions(int pageSize, Consumer<List<ChunkVersion>> page);

    /**
     * Every chunk the store holds, with its document version, in one map: memory grows with the store, so
     * this is for small stores and tests; maintenance reads {@link #visitVersions} instead.
     */
    default Map<String, Long> versions() {
        Map<String, Long> versions = new HashMap<>();
        visitVersions(1_000, page -> page.forEach(v -> versions.put(v.chunkId(), v.docVersion())));
        return versions;
    }

    /** The ids of the chunks of this document that the store holds. */
    default Set<String> chunkIdsOf(String docId) {
        return describe(docId).chunkIds();
    }

    /** Whether the store answers right now (a cheap round trip). */
    boolean isReachable();

    @Override
    void close();
}
