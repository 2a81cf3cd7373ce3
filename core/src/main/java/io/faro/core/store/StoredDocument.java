package io.faro.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one store holds of a document: its chunk ids, the newest and the oldest document version among
 * them (equal when the store is in step), and when the last chunk of the newest version was written
 * (from then on that version is searchable there), and the ACL of the newest version's chunks.
 */
public record StoredDocument(Set<String> chunkIds, long version, long oldestVersion,
                             Optional<Instant> searchableSince, List<String> acl) {

    public static final StoredDocument ABSENT = new StoredDocument(Set.of(), -1, -1, Optional.empty());

    public StoredDocument {
        chunkIds = Set.copyOf(chunkIds);
        acl = List.copyOf(acl);
    }

    /** A document visible to its whole tenant. */
    public StoredDocument(Set<String> chunkIds, long version, long oldestVersion, Optional<Instant> searchableSince) {
        this(chunkIds, version, oldestVersion, searchableSince, List.of());
    }

    public boolean isPresent() {
        return !chunkIds.isEmpty();
    }
}
