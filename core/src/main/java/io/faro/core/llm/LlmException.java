package io.faro.core.llm;

import io.faro.core.FaroException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** A chat call that failed, with a short reason (a metric label) and, for 429 and 503, how long to wait. */
public final class LlmException extends FaroException {

    /** Why a call failed; the transient ones are worth another attempt on the same endpoint. */
    public enum Reason {
        RATE_LIMITED(true), SERVER_ERROR(true), TIMEOUT(true), CONNECTION(true),
        CLIENT_ERROR(false), BAD_RESPONSE(false), CANCELLED(false);

        private final boolean transient_;

        Reason(boolean transient_) {
            this.transient_ = transient_;
        }

        public boolean isTransient() {
            return transient_;
        }

        /** As a metric label: {@code rate-limited}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;
    private final transient Duration retryAfter;

    public LlmException(Reason reason, String message, Optional<Duration> retryAfter, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.retryAfter = retryAfter.orElse(null);
    }

    public LlmException(Reason reason, String message) {
        this(reason, message, Optional.empty(), null);
    }

    public Reason reason() {
        return reason;
    }

    /** What the endpoint's {@code Retry-After} header asked for, if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
