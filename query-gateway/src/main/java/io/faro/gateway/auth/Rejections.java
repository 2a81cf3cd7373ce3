package io.faro.gateway.auth;

import io.faro.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the requests the gateway refused before serving them, by reason and by caller: an API key's id or an
 * OIDC client, {@link #UNKNOWN} when no caller was recognised. Never a key, a token or anything a caller sent:
 * an unknown key's text in a label would publish it to everyone who reads the metrics.
 */
final class Rejections {

    static final String UNKNOWN = "unknown";
    static final String UNAUTHENTICATED = "unauthenticated";
    static final String FORBIDDEN = "forbidden";
    static final String TOO_LARGE = "too-large";

    private final MeterRegistry meters;

    /** Registers the refusals of unknown callers at zero, so that the panel shows a true zero, not nothing. */
    Rejections(MeterRegistry meters) {
        this.meters = meters;
        counter(UNAUTHENTICATED, UNKNOWN);
    }

    void count(String reason, String keyId) {
        counter(reason, keyId).increment();
    }

    private Counter counter(String reason, String keyId) {
        return Counter.builder(MetricNames.HTTP_REJECTIONS)
                .description("requests refused before being served, by reason and caller")
                .tag(MetricNames.TAG_REASON, reason)
                .tag(MetricNames.TAG_KEY_ID, keyId)
                .register(meters);
    }
}
