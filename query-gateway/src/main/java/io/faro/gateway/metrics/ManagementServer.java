package io.faro.gateway.metrics;

import io.faro.gateway.health.Health;
import io.faro.gateway.health.HealthService;
import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port of a process that runs no gateway ({@code faro run ingest}, a sink): {@code /health/live},
 * {@code /health/ready} and {@code /metrics}, for Kubernetes' probes and Prometheus. With a gateway, its own
 * port serves the same routes.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    private final WebServer server;

    private ManagementServer(WebServer server) {
        this.server = server;
    }

    /** {@code port} 0 picks a free port. */
    public static ManagementServer start(String host, int port, Health health, PrometheusMeterRegistry meters) {
        // FARO stops the server itself, in its order (not ready, drain, stop): not Helidon's own shutdown hook.
        WebServer server = WebServer.builder()
                .shutdownHook(false)
                .host(host)
                .port(port)
                .routing(routing -> routing
                        .register("/health", new HealthService(health))
                        .get(MetricsEndpoint.PATH, MetricsEndpoint.handler(meters)))
                .build()
                .start();
        LOG.info("health and metrics on http://{}:{} (/health/live, /health/ready, {})", host, server.port(),
                MetricsEndpoint.PATH);
        return new ManagementServer(server);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
