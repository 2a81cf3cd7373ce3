package io.faro.gateway;

import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.*;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeTmpTest {
    @Test
    void probe() throws Exception {
        var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var store = new InMemoryVectorStore();
        try (var s = GatewayServer.start(FaroConfig.from(Env.of(Map.of())).withPorts(0, 0, 0),
                new GatewayServer.Dependencies(new HashingEmbedder(), store, List.of(), meters))) {
            var c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://localhost:" + s.port();
            for (String b : List.of("{\"query\":\"x\"}", "{}", "[1]")) {
                var r = c.send(HttpRequest.newBuilder(URI.create(base + "/v1/search")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(b)).build(), HttpResponse.BodyHandlers.ofString());
                System.out.println("PROBE " + r.statusCode() + " " + r.headers().map() + " " + r.body());
            }
            store.failing(true);
            var r = c.send(HttpRequest.newBuilder(URI.create(base + "/v1/query")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println("PROBE " + r.statusCode() + " " + r.body());
            for (String p : List.of("/health/live", "/health/ready", "/nope", "/v1/search")) {
                r = c.send(HttpRequest.newBuilder(URI.create(base + p)).build(), HttpResponse.BodyHandlers.ofString());
                System.out.println("PROBE " + p + " " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(300);
            meters.scrape().lines().filter(l -> l.startsWith("faro_http_request_seconds_count")).forEach(l -> System.out.println("PROBE " + l));
        }
    }
}
