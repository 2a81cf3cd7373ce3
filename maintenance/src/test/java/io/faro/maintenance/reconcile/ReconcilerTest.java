package io.faro.maintenance.reconcile;

import io.faro.core.store.StoreQuery;
import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.model.SearchHit;
import io.faro.core.store.ChunkVersion;
import io.faro.core.store.StoredDocument;
import io.faro.core.store.VectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Reconciler reconciler = new Reconciler(meters);

    private static EmbeddedChunk embedded(String docId, int index, long version) {
        return new EmbeddedChunk(new Chunk(Chunk.idOf(docId, index), docId, version, index, "t", "x", Map.of()), "m", 2,
                new float[] {1, 0});
    }

    private static ListedRecords live(EmbeddedChunk... chunks) {
        ListedRecords live = new ListedRecords();
        for (EmbeddedChunk chunk : chunks) {
            live.add(chunk);
        }
        return live;
    }

    @Test
    void shouldFindMissingExtraAndStaleChunksAndExportThem() {
        MapStore store = new MapStore();
        store.rows.put("a#0", 5L);
        store.rows.put("b#0", 3L);
        store.rows.put("gone#0", 1L);
        try (ListedRecords live = live(embedded("a", 0, 5), embedded("b", 0, 4), embedded("c", 0, 2))) {

            Drift drift = reconciler.compare(live, store);

            assertThat(drift.missing().first()).containsExactly("c#0");
            assertThat(drift.extra().first()).containsExactly("gone#0");
            assertThat(drift.stale().first()).containsExactly("b#0");
            assertThat(drift.affectedDocuments()).containsExactly("b", "c", "gone");
            assertThat(drift.expected()).isEqualTo(3);
            assertThat(drift.held()).isEqualTo(3);
            assertThat(meters.get("faro_store_drift_chunks").tag("store", "map").tag("kind", "missing").gauge().value())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void shouldRepairOnlyWhatDrifted() {
        MapStore store = new MapStore();
        store.rows.put("a#0", 5L);
        store.rows.put("gone#0", 1L);
        try (ListedRecords live = live(embedded("a", 0, 5), embedded("c", 0, 2))) {
            reconciler.compare(live, store);

            Drift repaired = reconciler.repair(live, store);

            assertThat(repaired.total()).isEqualTo(2);
            assertThat(store.upserted).containsExactly("c#0");
            assertThat(store.rows).containsOnlyKeys("a#0", "c#0");
            assertThat(reconciler.compare(live, store).isEmpty()).isTrue();
            assertThat(meters.get("faro_store_drift_chunks").tag("store", "map").tag("kind", "extra").gauge().value())
                    .isZero();
        }
    }

    @Test
    void shouldFindEveryMissingExtraAndStaleChunkWhenTheDataIsLargerThanOneBucketHoldingNoMoreThanABucketAndAPage() {
        // given a topic of 30 000 chunks (a tenth superseded, some deleted) and a store that lost some, kept
        // deleted ones and missed updates; compared 1 000 chunks at a time, listed 100 at a time
        int chunks = 30_000;
        int bucket = 1_000;
        int page = 100;
        ListedRecords live = new ListedRecords();
        MapStore store = new MapStore();
        long missing = 0;
        long stale = 0;
        long extra = 0;
        long deleted = 0;
        for (int i = 0; i < chunks; i++) {
            String doc = "doc-" + (i / 5);
            live.add(embedded(doc, i % 5, 1));
            if (i % 10 == 0) {
                live.add(embedded(doc, i % 5, 2)); // superseded by a newer version of the document
            }
            if (i % 53 == 0) {
                live.delete(Chunk.idOf(doc, i % 5));
                store.rows.put(Chunk.idOf(doc, i % 5), 1L); // deleted on the topic, still in the store
                extra++;
                deleted++;
            } else if (i % 97 == 0) {
                missing++; // never written to the store
            } else if (i % 10 == 0 && i % 3 == 0) {
                store.rows.put(Chunk.idOf(doc, i % 5), 1L); // missed the update
                stale++;
            } else {
                store.rows.put(Chunk.idOf(doc, i % 5), i % 10 == 0 ? 2L : 1L);
            }
        }
        for (int i = 0; i < 700; i++) {
            store.rows.put(Chunk.idOf("removed-" + i, 0), 1L);
            extra++;
        }
        Reconciler small = new Reconciler(meters, page, bucket);

        // when
        Drift drift = small.compare(live, store);

        // then every difference is found, with no more than about a bucket in memory and a page from the store
        assertThat(drift.missing().size()).isEqualTo(missing);
        assertThat(drift.stale().size()).isEqualTo(stale);
        assertThat(drift.extra().size()).isEqualTo(extra);
        assertThat(drift.expected()).isEqualTo(chunks - deleted);
        assertThat(drift.missing().first()).hasSize(Drift.Chunks.EXAMPLES).isSorted();
        assertThat(small.peakHeldInMemory()).isPositive().isLessThanOrEqualTo(2L * bucket);
        assertThat(store.largestPage).isEqualTo(page);

        // and a repair writes and deletes in batches until nothing drifts
        Drift repaired = small.repair(live, store);
        assertThat(repaired.total()).isEqualTo(missing + stale + extra);
        assertThat(store.largestWrite).isLessThanOrEqualTo(Reconciler.WRITE_BATCH);
        assertThat(live.largestFetchBatch).isEqualTo(Reconciler.WRITE_BATCH);
        assertThat(small.compare(live, store).isEmpty()).isTrue();
        assertThat(small.peakHeldInMemory()).isLessThanOrEqualTo(2L * bucket);
        live.close();
    }

    /** A store that only keeps chunk ids and versions, and records the largest page and write it served. */
    private static final class MapStore implements VectorStore {
        final Map<String, Long> rows = new HashMap<>();
        final List<String> upserted = new ArrayList<>();
        int largestPage;
        int largestWrite;

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
            largestWrite = Math.max(largestWrite, batch.size());
            batch.forEach(e -> {
                rows.put(e.chunkId(), e.chunk().docVersion());
                upserted.add(e.chunkId());
            });
        }

        @Override
        public void delete(Collection<String> chunkIds) {
            largestWrite = Math.max(largestWrite, chunkIds.size());
            chunkIds.forEach(rows::remove);
        }

        @Override
        public void deleteDocument(String docId) {
            rows.keySet().removeIf(id -> id.startsWith(docId + "#"));
        }

        @Override
        public List<SearchHit> search(StoreQuery query) {
            return List.of();
        }

        @Override
        public long count() {
            return rows.size();
        }

        @Override
        public void visitVersions(int pageSize, Consumer<List<ChunkVersion>> page) {
            List<ChunkVersion> all = rows.entrySet().stream()
                    .map(row -> new ChunkVersion(row.getKey(), row.getValue())).toList();
            for (int from = 0; from < all.size(); from += pageSize) {
                List<ChunkVersion> one = all.subList(from, Math.min(all.size(), from + pageSize));
                largestPage = Math.max(largestPage, one.size());
                page.accept(one);
            }
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
