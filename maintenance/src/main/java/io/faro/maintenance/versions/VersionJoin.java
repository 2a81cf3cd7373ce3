package io.faro.maintenance.versions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what should be (an expected {@link VersionLog}: a topic's records in order, the latest of each
 * chunk winning and a tombstone removing it) with what is (a held log: a store's chunks) in bounded memory
 * and linear time, and hands every difference to a {@link Differences}.
 *
 * <p>Why hash buckets on local disk rather than a sort by chunk id: a topic is in no chunk order and a
 * store lists in its own (Qdrant by point id, PostgreSQL by its collation, which need not be Java's), so a
 * sort-merge would have to sort both sides on disk at O(n log n). Instead both logs are split by a hash of
 * the chunk id into as many bucket files as it takes for one bucket of the expected side to fit
 * {@code capacity} entries; a bucket's expected entries are then folded into a map and the same bucket
 * of the held side streams past it. Every entry is read and written a constant number of times, and the
 * heap holds at most one bucket's map (about {@code capacity} entries) plus the split's write buffers. At
 * most {@value #MAX_FAN_OUT} buckets are written at once; a bucket still too large is split again with
 * other hash bits, so the bound holds at any size.
 */
public final class VersionJoin {

    /** Chunks of one bucket held in memory at once: a few megabytes. */
    public static final int DEFAULT_CAPACITY = 50_000;

    static final int MAX_FAN_OUT = 256;
    /** Past this depth a bucket is one hash value (a chunk with many records): it is folded as it is. */
    private static final int MAX_DEPTH = 4;
    private static final int BUCKET_BUFFER = 8 * 1024;

    /** What a join found, chunk by chunk. */
    public interface Differences {

        /** The chunk should be there and is not; {@code expected} is its latest record. */
        void missing(VersionLog.Entry expected);

        /** The store holds the chunk at an older document version than its latest record. */
        void stale(VersionLog.Entry expected, long heldVersion);

        /** The store holds a chunk that should not be there. */
        void extra(String chunkId, long heldVersion);
    }

    /** The live chunks the expected side has, and the chunks the held side has. */
    public record Totals(long expected, long held) {

        Totals plus(Totals other) {
            return new Totals(expected + other.expected, held + other.held);
        }
    }

    private final int capacity;
    private long peakHeldInMemory;

    public VersionJoin() {
        this(DEFAULT_CAPACITY);
    }

    public VersionJoin(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    public Totals join(VersionLog expected, VersionLog held, Differences differences) {
        return join(expected, held, differences, 0);
    }

    /** The most chunks this join held in memory at once: what the bounded-memory tests assert on. */
    public long peakHeldInMemory() {
        return peakHeldInMemory;
    }

    private Totals join(VersionLog expected, VersionLog held, Differences differences, int depth) {
        if (expected.entries() <= capacity || depth == MAX_DEPTH) {
            return fold(expected, held, differences);
        }
        int buckets = (int) Math.min(MAX_FAN_OUT, Math.ceilDiv(expected.entries(), capacity));
        List<VersionLog> expectedBuckets = split(expected, buckets, depth);
        List<VersionLog> heldBuckets = List.of();
        try {
            heldBuckets = split(held, buckets, depth);
            Totals totals = new Totals(0, 0);
            for (int b = 0; b < buckets; b++) {
                try (VersionLog e = expectedBuckets.get(b); VersionLog h = heldBuckets.get(b)) {
                    totals = totals.plus(join(e, h, differences, depth + 1));
                }
            }
            return totals;
        } finally {
            expectedBuckets.forEach(VersionLog::close);
            heldBuckets.forEach(VersionLog::close);
        }
    }

    private Totals fold(VersionLog expected, VersionLog held, Differences differences) {
        Map<String, VersionLog.Entry> latest = new HashMap<>();
        expected.forEach(entry -> {
            if (entry.live()) {
                latest.put(entry.chunkId(), entry);
            } else {
                latest.remove(entry.chunkId());
            }
            peakHeldInMemory = Math.max(peakHeldInMemory, latest.size());
        });
        long expectedLive = latest.size();
        long[] heldCount = {0};
        held.forEach(entry -> {
            heldCount[0]++;
            VersionLog.Entry should = latest.remove(entry.chunkId());
            if (should == null) {
                differences.extra(entry.chunkId(), entry.version());
            } else if (entry.version() < should.version()) {
                differences.stale(should, entry.version());
            }
        });
        latest.values().forEach(differences::missing);
        return new Totals(expectedLive, heldCount[0]);
    }

    private static List<VersionLog> split(VersionLog log, int buckets, int depth) {
        List<VersionLog> parts = new ArrayList<>(buckets);
        try {
            for (int b = 0; b < buckets; b++) {
                parts.add(VersionLog.create(BUCKET_BUFFER));
            }
            log.forEach(entry -> parts.get(bucketOf(entry.chunkId(), depth, buckets)).add(entry));
            parts.forEach(VersionLog::seal);
            return parts;
        } catch (RuntimeException e) {
            parts.forEach(VersionLog::close);
            throw e;
        }
    }

    /** Other bits of a mixed hash at each depth, so that a bucket split again spreads. */
    static int bucketOf(String chunkId, int depth, int buckets) {
        long h = chunkId.hashCode() * 0x9E3779B97F4A7C15L + depth * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 29;
        return (int) Math.floorMod(h, (long) buckets);
    }
}
