package io.faro.bench.scale;

import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.VectorStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes published records straight into the stores in batches, as a sink would (latest record of a chunk
 * in a batch wins, a tombstone deletes), for a benchmark that fills stores faster than the sinks do.
 */
final class DirectWrites implements SyntheticEmbeddings.Tap {

    private final List<VectorStore> stores;
    private final int batch;
    private final Map<String, Optional<EmbeddedChunk>> pending = new LinkedHashMap<>();

    DirectWrites(List<VectorStore> stores, int batch) {
        this.stores = List.copyOf(stores);
        this.batch = batch;
    }

    @Override
    public void accept(String chunkId, Optional<EmbeddedChunk> embedded) {
        pending.remove(chunkId);
        pending.put(chunkId, embedded);
        if (pending.size() >= batch) {
            flush();
        }
    }

    void flush() {
        List<EmbeddedChunk> upserts = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        pending.forEach((id, embedded) -> embedded.ifPresentOrElse(upserts::add, () -> deletes.add(id)));
        for (VectorStore store : stores) {
            if (!upserts.isEmpty()) {
                store.upsert(upserts);
            }
            if (!deletes.isEmpty()) {
                store.delete(deletes);
            }
        }
        pending.clear();
    }
}
