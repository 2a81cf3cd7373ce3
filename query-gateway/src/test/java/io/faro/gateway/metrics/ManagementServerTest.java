package io.faro.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.gateway.health.Health;
import io.faro.gateway.health.ReadinessCheck;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ManagementServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldServeTheRegistryAsPrometheusTextOnItsPort() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.counter("faro_chunks").increment(3);

        try (ManagementServer server = ManagementServer.start("127.0.0.1", 0, new Health(), meters)) {
            HttpResponse<String> metrics = get(server, "/metrics");
            HttpResponse<String> other = get(server, "/v1/search");

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(metrics.body()).contains("faro_chunks_total 3.0");
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void shouldAnswerProbesFromTheRegisteredChecksAndTurnNotReadyWhenStopping() throws Exception {
        AtomicBoolean streamsUp = new AtomicBoolean(true);
        AtomicBoolean streamsAlive = new AtomicBoolean(true);
        Health health = new Health()
                .ready(ReadinessCheck.critical("faro-ingest", streamsUp::get))
                .live(ReadinessCheck.critical("faro-ingest", streamsAlive::get));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        try (ManagementServer server = ManagementServer.start("127.0.0.1", 0, health, meters)) {
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);

            streamsUp.set(false);
            HttpResponse<String> rebalancing = get(server, "/health/ready");
            assertThat(rebalancing.statusCode()).isEqualTo(503);
            assertThat(rebalancing.body()).contains("\"faro-ingest\":\"DOWN\"");
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);

            streamsUp.set(true);
            health.stopping();
            HttpResponse<String> stopping = get(server, "/health/ready");
            assertThat(stopping.statusCode()).isEqualTo(503);
            assertThat(stopping.body()).contains("\"shutdown\":\"DOWN\"");

            streamsAlive.set(false);
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(503);
        }
    }

    private static HttpResponse<String> get(ManagementServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
