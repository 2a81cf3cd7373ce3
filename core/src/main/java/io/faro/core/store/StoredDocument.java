package io.faro.core.store;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What one store holds of a document: its chunk ids, the newest and the oldest document version among
 * them (equal when the store is in step), and when the last chunk of the newest version was written
 * (from then on that version is searchable there).
 */
public record StoredDocument(Set<String> chunkIds, long version, long oldestVersion,
                             Optional<Instant> searchableSince) {

    public static final StoredDocument ABSENT = new StoredDocument(Set.of(), -1, -1, Optional.empty());

    public StoredDocument {
        chunkIds = Set.copyOf(chunkIds);
    }

    public boolean isPresent() {
        return !chunkIds.isEmpty();
    }
}
