package io.faro.maintenance.reconcile;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one store differs from the system of record: chunks it lacks, chunks it has that the topic does
 * not (deleted or superseded), and chunks it holds at an older document version.
 */
public record Drift(String store, List<String> missing, List<String> extra, List<String> stale, long expected,
                    long held) {

    public Drift {
        missing = List.copyOf(missing);
        extra = List.copyOf(extra);
        stale = List.copyOf(stale);
    }

    public boolean isEmpty() {
        return missing.isEmpty() && extra.isEmpty() && stale.isEmpty();
    }

    /** The documents a repair has to touch. */
    public Set<String> affectedDocuments() {
        Set<String> docs = new TreeSet<>();
        for (List<String> ids : List.of(missing, extra, stale)) {
            ids.forEach(id -> docs.add(id.substring(0, Math.max(0, id.lastIndexOf('#')))));
        }
        return docs;
    }
}
