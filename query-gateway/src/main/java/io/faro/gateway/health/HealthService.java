package io.faro.gateway.health;

import io.faro.gateway.http.JsonExchange;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health/live}: the process can go on (200), or needs a restart (503: a stream application
 * failed for good). {@code GET /health/ready}: every critical dependency is ready (200, {@code degraded}
 * when a store with a fallback is down), or not, or the process is stopping (503), with the state of each
 * check in the body.
 */
public final class HealthService implements HttpService {

    static final String SHUTDOWN = "shutdown";

    private final Health health;

    public HealthService(Health health) {
        this.health = health;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/live", this::live)
                .get("/ready", this::ready);
    }

    record Report(String status, boolean degraded, Map<String, String> checks) {
    }

    private void live(ServerRequest request, ServerResponse response) {
        send(response, evaluate(health.livenessChecks(), false));
    }

    private void ready(ServerRequest request, ServerResponse response) {
        send(response, evaluate(health.readinessChecks(), health.isStopping()));
    }

    private static Report evaluate(List<ReadinessCheck> checks, boolean stopping) {
        Map<String, String> states = new LinkedHashMap<>();
        boolean up = !stopping;
        boolean degraded = false;
        if (stopping) {
            states.put(SHUTDOWN, "DOWN");
        }
        for (ReadinessCheck check : checks) {
            boolean ok = check.ready();
            states.put(check.name(), ok ? "UP" : "DOWN");
            up &= ok || !check.critical();
            degraded |= !ok && !check.critical();
        }
        return new Report(up ? "UP" : "DOWN", degraded, states);
    }

    private static void send(ServerResponse response, Report report) {
        JsonExchange.send(response, "UP".equals(report.status()) ? 200 : 503, report);
    }
}
