package io.faro.maintenance.reconcile;

import io.faro.core.model.EmbeddedChunk;
import io.faro.maintenance.versions.VersionLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** A topic of one partition held in a list (a null embedding is a tombstone): the system of record without a broker. */
final class ListedRecords implements LiveRecords {

    private record Keyed(String chunkId, EmbeddedChunk embedded) {
    }

    private final List<Keyed> records = new ArrayList<>();
    private final Set<Long> picked = new HashSet<>();
    private VersionLog log;
    int largestFetchBatch;

    ListedRecords add(EmbeddedChunk embedded) {
        records.add(new Keyed(embedded.chunkId(), embedded));
        return this;
    }

    ListedRecords delete(String chunkId) {
        records.add(new Keyed(chunkId, null));
        return this;
    }

    @Override
    public VersionLog versions() {
        if (log == null) {
            log = VersionLog.create();
            for (int offset = 0; offset < records.size(); offset++) {
                Keyed record = records.get(offset);
                log.add(record.embedded() == null ? VersionLog.Entry.tombstone(record.chunkId(), 0, offset)
                        : VersionLog.Entry.live(record.chunkId(), record.embedded().chunk().docVersion(), 0, offset));
            }
            log.seal();
        }
        return log;
    }

    @Override
    public void pick(VersionLog.Entry entry) {
        picked.add(entry.offset());
    }

    @Override
    public void fetchPicked(int batchSize, Consumer<List<EmbeddedChunk>> batch) {
        List<EmbeddedChunk> pending = new ArrayList<>();
        for (int offset = 0; offset < records.size(); offset++) {
            if (picked.contains((long) offset)) {
                pending.add(records.get(offset).embedded());
                if (pending.size() == batchSize) {
                    largestFetchBatch = Math.max(largestFetchBatch, pending.size());
                    batch.accept(List.copyOf(pending));
                    pending.clear();
                }
            }
        }
        if (!pending.isEmpty()) {
            largestFetchBatch = Math.max(largestFetchBatch, pending.size());
            batch.accept(List.copyOf(pending));
        }
        picked.clear();
    }

    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }
}
