package io.faro.core.store;

import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import java.util.Collection;
import java.util.List;

/**
 * A place that keeps chunk vectors and searches them by cosine similarity. Writes are idempotent
 * upserts keyed by chunk id, so replaying a batch converges to the same state. Thread-safe.
 */
public interface VectorStore extends AutoCloseable {

    /** Short name used in logs, metrics and responses, e.g. {@code pgvector}. */
    String name();

    /** Writes the batch durably before returning; a later write of the same chunk id replaces it. */
    void upsert(List<EmbeddedChunk> batch);

    void delete(Collection<String> chunkIds);

    /** The {@code topK} chunks nearest to the vector, best first. */
    List<SearchHit> search(float[] vector, int topK);

    long count();

    /** Whether the store answers right now (a cheap round trip). */
    boolean isReachable();

    @Override
    void close();
}
