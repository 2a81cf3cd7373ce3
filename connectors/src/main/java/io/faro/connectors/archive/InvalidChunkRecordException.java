package io.faro.connectors.archive;

import io.faro.core.FaroException;

/** A record of {@code faro.chunks} that is no chunk and no chunk's tombstone: it goes to {@code faro.dlq}. */
public final class InvalidChunkRecordException extends FaroException {

    public InvalidChunkRecordException(String message) {
        super(message);
    }
}
