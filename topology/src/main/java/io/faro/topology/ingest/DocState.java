package io.faro.topology.ingest;

import java.util.List;

/**
 * What the ingest topology remembers of a document: the version it last handled and that version's
 * chunk ids, so that a new version can delete the chunks it no longer has. A deleted document keeps
 * its version (with no chunks) so that an older version arriving late cannot bring it back.
 */
public record DocState(long version, List<String> chunkIds) {

    public DocState {
        chunkIds = List.copyOf(chunkIds);
    }
}
