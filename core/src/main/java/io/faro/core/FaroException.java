package io.faro.core;

/** Root of FARO's exceptions: every failure FARO raises says what went wrong and what to do. */
public class FaroException extends RuntimeException {

    public FaroException(String message) {
        super(message);
    }

    public FaroException(String message, Throwable cause) {
        super(message, cause);
    }
}
