package io.faro.maintenance.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.testing.InMemoryVectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeriodicReconcilerTest {

    @Test
    void shouldExportTheDriftSoonAfterStartNotOneIntervalLater() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EmbeddedChunk live = new EmbeddedChunk(new Chunk("d#0", "d", 1, 0, "d", "text", Map.of()), "m", 2,
                new float[] {1, 0});
        InMemoryVectorStore store = new InMemoryVectorStore("pgvector");

        try (PeriodicReconciler reconciler = new PeriodicReconciler(() -> Map.of("d#0", live), List.of(store),
                new Reconciler(meters), Duration.ofHours(1), Duration.ofMillis(100))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(meters.find(MetricNames.STORE_DRIFT_CHUNKS).tag(MetricNames.TAG_STORE, "pgvector")
                            .gauges()).isNotEmpty());
        }
        assertThat(PeriodicReconciler.FIRST_RUN).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }
}
