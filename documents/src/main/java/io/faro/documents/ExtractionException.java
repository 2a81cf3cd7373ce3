package io.faro.documents;

import io.faro.core.FaroException;

/** A document's bytes did not yield text; the document goes to the dead-letter topic with the reason. */
public final class ExtractionException extends FaroException {

    /** Why, in a word that metrics can count by. */
    public enum Reason {
        /** Protected by a password or a certificate. */
        ENCRYPTED,
        /** Truncated, damaged, or not the format its content type says. */
        CORRUPT,
        /** Readable, but without any text (a scanned PDF, say: FARO does no OCR). */
        EMPTY,
        /** A content type FARO does not extract. */
        UNSUPPORTED,
        /** Expands past {@code FARO_MAX_EXTRACTED_CHARS} or {@code FARO_MAX_COMPRESSION_RATIO}: a zip bomb, or just too much. */
        TOO_LARGE,
        /** Parsing ran past {@code FARO_PARSE_TIMEOUT_MS}. */
        TIMEOUT
    }

    private final Reason reason;

    public ExtractionException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ExtractionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
