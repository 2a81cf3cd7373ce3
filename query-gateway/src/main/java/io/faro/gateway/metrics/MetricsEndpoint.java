package io.faro.gateway.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code GET /metrics}: the registry in Prometheus' text format. */
public final class MetricsEndpoint {

    public static final String PATH = "/metrics";

    private MetricsEndpoint() {
    }

    public static Handler handler(PrometheusMeterRegistry meters) {
        return (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(meters.scrape());
        };
    }
}
