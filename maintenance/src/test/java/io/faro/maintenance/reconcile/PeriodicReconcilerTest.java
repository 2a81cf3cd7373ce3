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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicReconcilerTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InMemoryVectorStore store = new InMemoryVectorStore("pgvector");
    private final AtomicInteger snapshots = new AtomicInteger();

    private ListedRecords snapshot() {
        snapshots.incrementAndGet();
        return new ListedRecords().add(new EmbeddedChunk(new Chunk("d#0", "d", 1, 0, "d", "text", Map.of()), "m", 2,
                new float[] {1, 0}));
    }

    private double missing() {
        return meters.get(MetricNames.STORE_DRIFT_CHUNKS).tag(MetricNames.TAG_STORE, "pgvector").tag("kind", "missing")
                .gauge().value();
    }

    @Test
    void shouldExportTheDriftAtOnceWhenItLeadsNotOneIntervalLater() {
        try (PeriodicReconciler reconciler = new PeriodicReconciler(this::snapshot, List.of(store),
                new Reconciler(meters), Duration.ofHours(1), () -> true, Duration.ofHours(1))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(missing()).isEqualTo(1.0));
        }
    }

    @Test
    void shouldReadNothingAndExportZeroWhileAnotherReplicaLeadsThenTakeOverWhenItCan() {
        AtomicBoolean leads = new AtomicBoolean(false);
        AtomicInteger asked = new AtomicInteger();
        try (PeriodicReconciler reconciler = new PeriodicReconciler(this::snapshot, List.of(store),
                new Reconciler(meters), Duration.ofHours(1), () -> {
                    asked.incrementAndGet();
                    return leads.get();
                }, Duration.ofMillis(50))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> asked.get() >= 3);
            assertThat(snapshots).hasValue(0);
            assertThat(missing()).isZero();

            leads.set(true);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(missing()).isEqualTo(1.0));
            assertThat(snapshots).hasValue(1);
        }
    }
}
