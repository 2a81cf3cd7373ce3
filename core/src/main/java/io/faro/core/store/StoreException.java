package io.faro.core.store;

import io.faro.core.FaroException;

/** A vector store could not do what was asked; the message names the store and the cause. */
public class StoreException extends FaroException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
