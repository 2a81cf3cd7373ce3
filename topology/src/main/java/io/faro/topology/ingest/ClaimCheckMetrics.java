package io.faro.topology.ingest;

import io.faro.core.metrics.MetricNames;
import io.faro.topology.dlq.DeadLetterCounter;
import io.faro.topology.dlq.DeadLetterReason;
import io.faro.topology.dlq.DeadLetters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** What the claim-check stage measures, one instance per ingest application, shared by its tasks. */
final class ClaimCheckMetrics {

    final DeadLetterCounter deadLetters;
    private final AtomicLong waiting = new AtomicLong();

    ClaimCheckMetrics(MeterRegistry meters) {
        this.deadLetters = new DeadLetterCounter(meters).expect(DeadLetters.STAGE_FETCH,
                DeadLetterReason.CONTENT_UNAVAILABLE, DeadLetterReason.NO_S3, DeadLetterReason.CONTRACT);
        Gauge.builder(MetricNames.CLAIM_CHECKS_WAITING, waiting, AtomicLong::get)
                .description("Records held for claim checks: being fetched, waiting for a fetch slot, or queued"
                        + " behind a fetch of the same document")
                .strongReference(true)
                .register(meters);
    }

    /** One task holds {@code delta} records more (or fewer). */
    void waiting(long delta) {
        waiting.addAndGet(delta);
    }
}
