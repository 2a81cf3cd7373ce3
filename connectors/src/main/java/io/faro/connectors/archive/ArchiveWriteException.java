package io.faro.connectors.archive;

import io.faro.core.FaroException;

/**
 * S3 did not take every write of a batch (throttling, a 5xx, a timeout, or a refusal an operator must fix): the
 * whole batch is written again after a backoff, and its offsets stay uncommitted until it is.
 */
final class ArchiveWriteException extends FaroException {

    ArchiveWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
