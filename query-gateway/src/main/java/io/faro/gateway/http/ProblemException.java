package io.faro.gateway.http;

import io.faro.core.FaroException;

/** Ends a request with a problem-details response; thrown by handlers, mapped once in routing. */
public final class ProblemException extends FaroException {

    private final int status;
    private final String type;
    private final String title;

    public ProblemException(int status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "/problems/invalid-request", "Invalid request", detail);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "/problems/payload-too-large", "Payload too large", detail);
    }

    public static ProblemException unsupportedMediaType(String detail) {
        return new ProblemException(415, "/problems/unsupported-media-type", "Unsupported media type", detail);
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "/problems/unavailable", "Service unavailable", detail);
    }

    public Problem toProblem(String instance) {
        return new Problem(type, title, status, getMessage(), instance);
    }
}
