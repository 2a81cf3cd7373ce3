package io.faro.core.rerank;

import io.faro.core.FaroException;
import java.util.Locale;

/** A reranker gave no usable scores; {@link #reason()} says which way it failed, for answers and metrics. */
public final class RerankException extends FaroException {

    /** How a reranking failed. */
    public enum Reason {
        /** No answer within the deadline. */
        TIMEOUT,
        /** The reranker refused the request or could not be reached. */
        ERROR,
        /** It answered, but not with one score for each text. */
        MALFORMED;

        /** {@code timeout}, {@code error}, {@code malformed}: as answers and metric labels spell it. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public RerankException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RerankException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
