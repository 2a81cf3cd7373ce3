package io.faro.gateway.http;

/**
 * An RFC 9457 problem-details body. {@code type} is a relative URI naming the kind of problem; the
 * {@code detail} tells the caller what to change.
 */
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
