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
 * {@code GET /health/live}: the process answers. {@code GET /health/ready}: every critical dependency
 * is ready (200, {@code degraded} when a store with a fallback is down), or not (503), with the state of
 * each check in the body.
 */
public final class HealthService implements HttpService {

    private final List<ReadinessCheck> checks;

    public HealthService(List<ReadinessCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/live", this::live)
                .get("/ready", this::ready);
    }

    record Health(String status, boolean degraded, Map<String, String> checks) {
    }

    private void live(ServerRequest request, ServerResponse response) {
        JsonExchange.send(response, 200, new Health("UP", false, Map.of()));
    }

    private void ready(ServerRequest request, ServerResponse response) {
        Map<String, String> states = new LinkedHashMap<>();
        boolean ready = true;
        boolean degraded = false;
        for (ReadinessCheck check : checks) {
            boolean up = check.ready();
            states.put(check.name(), up ? "UP" : "DOWN");
            ready &= up || !check.critical();
            degraded |= !up && !check.critical();
        }
        JsonExchange.send(response, ready ? 200 : 503, new Health(ready ? "UP" : "DOWN", degraded, states));
    }
}
