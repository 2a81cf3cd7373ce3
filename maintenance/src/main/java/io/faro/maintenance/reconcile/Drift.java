package io.faro.maintenance.reconcile;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one store differs from the system of record: chunks it lacks, chunks it has that the topic does
 * not (deleted or superseded), and chunks it holds at an older document version. Each kind is a count and
 * its first chunk ids in order (at most {@link Chunks#EXAMPLES}): a drift of millions stays small.
 */
public record Drift(String store, Chunks missing, Chunks extra, Chunks stale, long expected, long held) {

    /** How many chunks of one kind, and the first of them by chunk id. */
    public record Chunks(long size, List<String> first) {

        public static final int EXAMPLES = 10;

        public Chunks {
            first = List.copyOf(first);
        }

        public boolean isEmpty() {
            return size == 0;
        }
    }

    public boolean isEmpty() {
        return missing.isEmpty() && extra.isEmpty() && stale.isEmpty();
    }

    public long total() {
        return missing.size() + extra.size() + stale.size();
    }

    /** Whether the first chunk ids of each kind are all of them (so {@link #affectedDocuments} is complete). */
    public boolean listsEveryChunk() {
        return missing.size() == missing.first().size() && extra.size() == extra.first().size()
                && stale.size() == stale.first().size();
    }

    /** The documents of the first chunks of each kind: where to look first. */
    public Set<String> affectedDocuments() {
        Set<String> docs = new TreeSet<>();
        for (Chunks chunks : List.of(missing, extra, stale)) {
            chunks.first().forEach(id -> docs.add(id.substring(0, Math.max(0, id.lastIndexOf('#')))));
        }
        return docs;
    }
}
