package io.faro.core.document;

import io.faro.core.FaroException;

/** The bytes a claim check points at could not be fetched. */
public final class ContentUnavailableException extends FaroException {

    /** Whether trying again later may succeed. */
    public enum Kind {
        /** Throttling, a 5xx, a timeout, a broken connection: retry with backoff, never dead-letter. */
        TRANSIENT,
        /** No such bucket, object or version, access denied, a checksum that does not match, too large: dead-letter. */
        PERMANENT
    }

    private final Kind kind;

    public ContentUnavailableException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isTransient() {
        return kind == Kind.TRANSIENT;
    }
}
