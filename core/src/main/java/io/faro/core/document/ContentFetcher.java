package io.faro.core.document;

/**
 * Fetches the bytes a claim check points at. Implementations retry nothing themselves beyond what their
 * client does; they say which kind of failure it was, so that the caller retries a transient one and
 * dead-letters a permanent one.
 */
public interface ContentFetcher {

    /**
     * The object's bytes, at most {@code maxBytes} of them.
     *
     * @throws ContentUnavailableException when the object cannot be had now or ever, saying which
     */
    byte[] fetch(ContentRef ref, long maxBytes);
}
