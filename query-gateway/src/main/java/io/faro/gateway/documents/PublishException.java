package io.faro.gateway.documents;

import io.faro.core.FaroException;

/** A document could not be published; nothing was, as far as the cluster told the producer. */
public final class PublishException extends FaroException {

    /** Why, as far as it matters to the caller. */
    public enum Kind {
        /** Kafka did not take it in time (no broker, not enough replicas, a timeout): try again later. */
        UNAVAILABLE,
        /** The cluster refused the record as too large for the topic ({@code max.message.bytes}). */
        TOO_LARGE,
        /** The gateway's Kafka user may not write to the topic. */
        NOT_AUTHORIZED
    }

    private final Kind kind;

    public PublishException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
