package io.faro.core.document;

import io.faro.core.FaroException;

/** A record on the documents topic does not follow the document contract; it goes to the DLQ. */
public final class InvalidDocumentException extends FaroException {

    /** Which way the record failed, in a few words that metrics can count by. */
    public enum Kind {
        /** Over {@code FARO_MAX_DOCUMENT_BYTES}. */
        TOO_LARGE,
        /** Empty, or not JSON at all. */
        NOT_JSON,
        /** JSON that breaks the contract: a missing or mistyped field, an empty text, a key that is not the id. */
        CONTRACT
    }

    private final Kind kind;

    public InvalidDocumentException(String message) {
        this(Kind.CONTRACT, message);
    }

    public InvalidDocumentException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
