package io.faro.gateway.metrics;

import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves only {@code /metrics}, for a process that runs no gateway ({@code faro run ingest}, a sink):
 * Prometheus scrapes it on {@code FARO_METRICS_PORT}. With a gateway, its own port serves the metrics.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final WebServer server;

    private MetricsServer(WebServer server) {
        this.server = server;
    }

    /** {@code port} 0 picks a free port. */
    public static MetricsServer start(int port, PrometheusMeterRegistry meters) {
        WebServer server = WebServer.builder()
                .host("localhost")
                .port(port)
                .routing(routing -> routing.get(MetricsEndpoint.PATH, MetricsEndpoint.handler(meters)))
                .build()
                .start();
        LOG.info("metrics on http://localhost:{}{}", server.port(), MetricsEndpoint.PATH);
        return new MetricsServer(server);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
