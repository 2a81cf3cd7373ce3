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
 * {@code GET /health/live}: the process answers. {@code GET /health/ready}: every dependency is ready
 * (200), or not (503), with the state of each check in the body.
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

    record Health(String status, Map<String, String> checks) {
    }

    private void live(ServerRequest request, ServerResponse response) {
        JsonExchange.send(response, 200, new Health("UP", Map.of()));
    }

    private void ready(ServerRequest request, ServerResponse response) {
        Map<String, String> states = new LinkedHashMap<>();
        boolean allUp = true;
        for (ReadinessCheck check : checks) {
            boolean up = check.ready();
            states.put(check.name(), up ? "UP" : "DOWN");
            allUp &= up;
        }
        JsonExchange.send(response, allUp ? 200 : 503, new Health(allUp ? "UP" : "DOWN", states));
    }
}
