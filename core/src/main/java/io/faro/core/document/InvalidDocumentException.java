package io.faro.core.document;

import io.faro.core.FaroException;

/** A record on the documents topic does not follow the document contract; it goes to the DLQ. */
public final class InvalidDocumentException extends FaroException {

    public InvalidDocumentException(String message) {
        super(message);
    }
}
