package io.faro.core.embed;

import io.faro.core.FaroException;

/** The embedding model could not embed a text. */
public final class EmbeddingException extends FaroException {

    public EmbeddingException(String message, Throwable cause) {
        super(message, cause);
    }
}
