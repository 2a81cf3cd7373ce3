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

    /**
     * A 409: no store can answer the search mode asked for, and trying again will not change that (a store's copy
     * has no keyword side until it is rebuilt); another mode would be answered.
     */
    public static ProblemException searchModeUnavailable(String detail) {
        return new ProblemException(409, "/problems/search-mode-unavailable", "Search mode unavailable", detail);
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

    /**
     * A 401: the request carries no credentials FARO takes. {@code challenge} is the {@code WWW-Authenticate} value
     * telling the client how to authenticate (RFC 9110 §11.6.1).
     */
    public static ProblemException unauthenticated(String detail, String challenge) {
        return new ProblemException(401, "/problems/unauthenticated", "Unauthenticated", detail)
                .withHeader("WWW-Authenticate", challenge);
    }

    /** A 403: the caller is known, and may not do this. */
    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "/problems/forbidden", "Forbidden", detail);
    }

    /** A 429 that tells the caller when its rate allows the next request ({@code Retry-After}, whole seconds). */
    public static ProblemException tooManyRequests(String detail, Duration retryAfter) {
        return new ProblemException(429, "/problems/rate-limited", "Too many requests", detail)
                .withHeader("Retry-After", seconds(retryAfter));
    }

    /** A 503 for a caller with as many requests in flight as it may have; another caller would be served. */
    public static ProblemException tooManyConcurrent(String detail, Duration retryAfter) {
        return new ProblemException(503, "/problems/too-many-concurrent-requests", "Too many concurrent requests",
                detail).withHeader("Retry-After", seconds(retryAfter));
    }

    private static String seconds(Duration duration) {
        long whole = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
        return Long.toString(Math.max(1, whole));
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
