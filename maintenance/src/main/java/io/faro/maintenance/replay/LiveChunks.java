package io.faro.maintenance.replay;

import io.faro.core.store.VectorStore;
import io.faro.maintenance.versions.VersionJoin;
import io.faro.maintenance.versions.VersionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunks a replay has found live so far, with their document versions: what a new copy is
 * verified against. Each batch of a {@link TopicReplay} passes through {@link #take}, which decodes it
 * and appends what it says (a chunk live at a version, or deleted) to a {@link VersionLog} on local disk,
 * so a replay of any size keeps a bounded heap; {@link #compareWith} folds the log against a store's pages.
 */
public final class LiveChunks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveChunks.class);

    private final VersionLog log = VersionLog.create();
    private final int page;
    private final int bucketCapacity;
    private long sequence;
    private long skipped;
    private long peakHeldInMemory;

    public LiveChunks() {
        this(1_000, VersionJoin.DEFAULT_CAPACITY);
    }

    /** {@code page}: chunks listed from a store at once; {@code bucketCapacity}: chunks compared in memory at once. */
    public LiveChunks(int page, int bucketCapacity) {
        this.page = page;
        this.bucketCapacity = bucketCapacity;
    }

    /** A decoded batch: the records to write, and the chunk ids whose tombstones came. */
    public record Batch<T>(List<T> upserts, List<String> deletes) {
    }

    /** How a store's chunk ids differ from the live set. */
    public record Comparison(long live, long held, long missing, long extra) {

        public boolean sameChunks() {
            return missing == 0 && extra == 0;
        }
    }

    /** Decodes a batch from {@code topic} and records which chunks it leaves live, at which version. */
    public <T> Batch<T> take(Map<String, byte[]> batch, String topic, Deserializer<T> deserializer,
                             ToLongFunction<T> docVersion) {
        List<T> upserts = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        batch.forEach((chunkId, value) -> {
            if (value == null) {
                deletes.add(chunkId);
                log.add(VersionLog.Entry.tombstone(chunkId, VersionLog.NO_PARTITION, sequence++));
            } else {
                T record;
                try {
                    record = deserializer.deserialize(topic, value);
                } catch (SerializationException e) {
                    // the sinks sent this record to the dead-letter topic and kept what they had: so does a replay
                    skipped++;
                    LOG.warn("{} record of chunk {} cannot be read and is skipped, as the sinks skipped it: {}",
                            topic, chunkId, e.getMessage());
                    return;
                }
                upserts.add(record);
                log.add(VersionLog.Entry.live(chunkId, docVersion.applyAsLong(record), VersionLog.NO_PARTITION,
                        sequence++));
            }
        });
        return new Batch<>(upserts, deletes);
    }

    /** Compares the chunk ids the store holds with the live set, a page and a bucket at a time. */
    public Comparison compareWith(VectorStore store) {
        try (VersionLog held = VersionLog.of(store, page)) {
            return compare(held);
        }
    }

    /** The live chunks so far (a fold of the log: linear time, bounded memory). */
    public long size() {
        try (VersionLog none = VersionLog.create()) {
            return compare(none.seal()).live();
        }
    }

    /** The most chunks a comparison held in memory at once. */
    public long peakHeldInMemory() {
        return peakHeldInMemory;
    }

    /** Records that could not be read, and were skipped. */
    public long skipped() {
        return skipped;
    }

    private Comparison compare(VersionLog held) {
        long[] missing = {0};
        long[] extra = {0};
        VersionJoin join = new VersionJoin(bucketCapacity);
        VersionJoin.Totals totals = join.join(log, held, new VersionJoin.Differences() {
            @Override
            public void missing(VersionLog.Entry expected) {
                missing[0]++;
            }

            @Override
            public void stale(VersionLog.Entry expected, long heldVersion) {
                // a copy holds the versions it was written from: only which chunks it holds is verified
            }

            @Override
            public void extra(String chunkId, long heldVersion) {
                extra[0]++;
            }
        });
        peakHeldInMemory = Math.max(peakHeldInMemory, join.peakHeldInMemory());
        return new Comparison(totals.expected(), totals.held(), missing[0], extra[0]);
    }

    @Override
    public void close() {
        log.close();
    }
}
