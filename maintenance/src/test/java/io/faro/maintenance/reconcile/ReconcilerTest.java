package io.faro.maintenance.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.StoredDocument;
import io.faro.core.store.VectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Reconciler reconciler = new Reconciler(meters);

    private static EmbeddedChunk embedded(String docId, int index, long version) {
        return new EmbeddedChunk(new Chunk(Chunk.idOf(docId, index), docId, version, index, "t", "x", Map.of()), "m", 2,
                new float[] {1, 0});
    }

    private static Map<String, EmbeddedChunk> live(EmbeddedChunk... chunks) {
        Map<String, EmbeddedChunk> live = new HashMap<>();
        for (EmbeddedChunk chunk : chunks) {
            live.put(chunk.chunkId(), chunk);
        }
        return live;
    }

    @Test
    void shouldFindMissingExtraAndStaleChunksAndExportThem() {
        MapStore store = new MapStore();
        store.rows.put("a#0", 5L);
        store.rows.put("b#0", 3L);
        store.rows.put("gone#0", 1L);
        Map<String, EmbeddedChunk> live = live(embedded("a", 0, 5), embedded("b", 0, 4), embedded("c", 0, 2));

        Drift drift = reconciler.compare(live, store);

        assertThat(drift.missing()).containsExactly("c#0");
        assertThat(drift.extra()).containsExactly("gone#0");
        assertThat(drift.stale()).containsExactly("b#0");
        assertThat(drift.affectedDocuments()).containsExactly("b", "c", "gone");
        assertThat(meters.get("faro_store_drift_chunks").tag("store", "map").tag("kind", "missing").gauge().value())
                .isEqualTo(1.0);
    }

    @Test
    void shouldRepairOnlyWhatDrifted() {
        MapStore store = new MapStore();
        store.rows.put("a#0", 5L);
        store.rows.put("gone#0", 1L);
        Map<String, EmbeddedChunk> live = live(embedded("a", 0, 5), embedded("c", 0, 2));

        int repaired = reconciler.repair(reconciler.compare(live, store), live, store);

        assertThat(repaired).isEqualTo(2);
        assertThat(store.upserted).containsExactly("c#0");
        assertThat(store.rows).containsOnlyKeys("a#0", "c#0");
        assertThat(reconciler.compare(live, store).isEmpty()).isTrue();
        assertThat(meters.get("faro_store_drift_chunks").tag("store", "map").tag("kind", "extra").gauge().value())
                .isZero();
    }

    /** A store that only keeps chunk ids and versions. */
    private static final class MapStore implements VectorStore {
        final Map<String, Long> rows = new HashMap<>();
        final List<String> upserted = new java.util.ArrayList<>();

        @Override
        public String name() {
            return "map";
        }

        @Override
        public String liveModel() {
            return "m";
        }

        @Override
        public void upsert(List<EmbeddedChunk> batch) {
            batch.forEach(e -> {
                rows.put(e.chunkId(), e.chunk().docVersion());
                upserted.add(e.chunkId());
            });
        }

        @Override
        public void delete(Collection<String> chunkIds) {
            chunkIds.forEach(rows::remove);
        }

        @Override
        public void deleteDocument(String docId) {
            rows.keySet().removeIf(id -> id.startsWith(docId + "#"));
        }

        @Override
        public List<SearchHit> search(float[] vector, int topK, MetadataFilter filter) {
            return List.of();
        }

        @Override
        public long count() {
            return rows.size();
        }

        @Override
        public Map<String, Long> versions() {
            return Map.copyOf(rows);
        }

        @Override
        public StoredDocument describe(String docId) {
            return StoredDocument.ABSENT;
        }

        @Override
        public boolean isReachable() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
