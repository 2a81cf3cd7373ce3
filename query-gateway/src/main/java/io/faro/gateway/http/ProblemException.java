package io.faro.gateway.http;

import io.faro.core.FaroException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Ends a request with a problem-details response; thrown by handlers, mapped once in routing. */
public final class ProblemException extends FaroException {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, String> headers;

    public ProblemException(int status, String type, String title, String detail) {
        this(status, type, title, detail, Map.of());
    }

    private ProblemException(int status, String type, String title, String detail, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.headers = Map.copyOf(headers);
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

    /** A 503 that tells the caller when to try again ({@code Retry-After}, in whole seconds). */
    public static ProblemException unavailable(String detail, Duration retryAfter) {
        return unavailable(detail).withHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
    }

    /** A 405 naming the methods the resource does take ({@code Allow}, possibly none). */
    public static ProblemException methodNotAllowed(String detail, String allow) {
        return new ProblemException(405, "/problems/method-not-allowed", "Method not allowed", detail)
                .withHeader("Allow", allow);
    }

    private ProblemException withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ProblemException(status, type, title, getMessage(), more);
    }

    public int status() {
        return status;
    }

    /** Response headers that go with the problem. */
    public Map<String, String> headers() {
        return headers;
    }

    public Problem toProblem(String instance) {
        return new Problem(type, title, status, getMessage(), instance);
    }
}
