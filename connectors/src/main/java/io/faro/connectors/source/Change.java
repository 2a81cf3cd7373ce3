package io.faro.connectors.source;

/** A change of one watched object, as the source publishes it: a document with its new state, or a tombstone. */
sealed interface Change {

    /** The object's {@code s3://bucket/key}, the key of its state record. */
    String uri();

    /** The id of the document that stands for the object, the key of its record on {@code faro.documents}. */
    String documentId();

    /** The object is new ({@code created}) or changed: its document, a claim check, and the state it was read in. */
    record Upsert(String uri, String documentId, byte[] document, ObjectState state, boolean created) implements Change {
    }

    /** The object is gone: a tombstone for its document and for its state. */
    record Delete(String uri, String documentId) implements Change {
    }
}
