package io.faro.gateway.documents;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest rejection of each document, as {@code faro.dlq} tells it, for at most {@code capacity}
 * documents: when one more comes, the document least recently rejected (or published through this
 * gateway) is forgotten. A rejection is current only while no later version of the document is known: one
 * a store holds, or one this gateway published (an upload or a delete) since.
 *
 * <p>Versions are offsets in {@code faro.documents}; every record of one document lands in one partition,
 * so they order its versions. Memory: an entry holds the id, the stage and the reason (cut to
 * {@link #MAX_REASON_CHARS}), so 10,000 entries take a few megabytes at most.
 */
public final class Rejections {

    static final int MAX_REASON_CHARS = 1_000;

    /**
     * One version of a document that the pipeline refused.
     *
     * @param version    the offset of the refused record in {@code faro.documents}
     * @param stage      the stage that refused it ({@code parse}, {@code split}, {@code embed}, ...)
     * @param rejectedAt when, as its dead letter says
     */
    public record Rejection(String docId, long version, String stage, String reason, Instant rejectedAt) {

        public Rejection {
            reason = reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS - 3) + "...";
        }
    }

    /** What is known of one document: its latest rejection, if any, and the latest version published here. */
    private record Known(Rejection rejection, long published) {
    }

    private final int capacity;
    private final Map<String, Known> byDocument;

    public Rejections(int capacity) {
        this.capacity = capacity;
        this.byDocument = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
                return size() > Rejections.this.capacity;
            }
        };
    }

    /** No rejections kept: for a gateway that follows no dead letters. */
    public static Rejections none() {
        return new Rejections(0);
    }

    /** Notes a rejection, unless a later version of the same document was already rejected. */
    public synchronized void rejected(Rejection rejection) {
        Known known = byDocument.remove(rejection.docId());
        Known now = known == null ? new Known(rejection, -1)
                : known.rejection() != null && known.rejection().version() > rejection.version() ? known
                : new Known(rejection, known.published());
        put(rejection.docId(), now);
    }

    /** Notes that this gateway published version {@code version} of the document (or its tombstone). */
    public synchronized void published(String docId, long version) {
        Known known = byDocument.remove(docId);
        put(docId, known == null ? new Known(null, version) : new Known(known.rejection(),
                Math.max(known.published(), version)));
    }

    private void put(String docId, Known known) {
        if (capacity > 0) {
            byDocument.put(docId, known);
        }
    }

    /**
     * The rejection of the document's latest known version: present only when no store holds a later version
     * ({@code storedVersion}, -1 when none holds the document) and this gateway published none since.
     */
    public synchronized Optional<Rejection> current(String docId, long storedVersion) {
        Known known = byDocument.get(docId);
        if (known == null || known.rejection() == null) {
            return Optional.empty();
        }
        long version = known.rejection().version();
        return version >= storedVersion && version >= known.published() ? Optional.of(known.rejection())
                : Optional.empty();
    }

    public synchronized int size() {
        return byDocument.size();
    }
}
