package io.faro.topology.sink;

import io.faro.core.metrics.MetricNames;
import io.faro.topology.dlq.DeadLetterCounter;
import io.faro.topology.dlq.DeadLetterReason;
import io.faro.topology.dlq.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one store's sink measures: writes (time, records, failures, re-embeddings), the records it holds in
 * its buffer, freshness, and its dead letters. One instance per sink application, shared by all its tasks.
 */
final class SinkMetrics {

    /** From sub-second (a caught-up pipeline) to an hour (a store that was down, a replay). */
    private static final Duration[] FRESHNESS_BUCKETS = {
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
        Duration.ofMinutes(30), Duration.ofHours(1)};

    final String stage;
    final Timer upsertTime;
    final Timer deleteTime;
    final Counter upserted;
    final Counter deleted;
    final Counter failures;
    final Counter reembedded;
    final DeadLetterCounter deadLetters;
    private final Timer freshness;
    private final AtomicLong buffered = new AtomicLong();

    SinkMetrics(String store, MeterRegistry meters) {
        this.stage = DeadLetters.STAGE_SINK + "-" + store;
        this.upsertTime = writeTimer(meters, store, "upsert");
        this.deleteTime = writeTimer(meters, store, "delete");
        this.upserted = meters.counter(MetricNames.SINK_RECORDS, MetricNames.TAG_STORE, store,
                MetricNames.TAG_OPERATION, "upsert");
        this.deleted = meters.counter(MetricNames.SINK_RECORDS, MetricNames.TAG_STORE, store,
                MetricNames.TAG_OPERATION, "delete");
        this.failures = meters.counter(MetricNames.SINK_WRITE_FAILURES, MetricNames.TAG_STORE, store);
        this.reembedded = meters.counter(MetricNames.SINK_REEMBEDDED, MetricNames.TAG_STORE, store);
        this.deadLetters = new DeadLetterCounter(meters)
                .expect(stage, DeadLetterReason.MISSING_KEY, DeadLetterReason.NOT_AN_EMBEDDING);
        this.freshness = Timer.builder(MetricNames.FRESHNESS_SECONDS)
                .description("From a document's publication to one of its chunks being written to the store")
                .tag(MetricNames.TAG_STORE, store)
                .serviceLevelObjectives(FRESHNESS_BUCKETS)
                .register(meters);
        Gauge.builder(MetricNames.SINK_BUFFERED_RECORDS, buffered, AtomicLong::get)
                .description("Records the sink has consumed but not yet written to the store")
                .tag(MetricNames.TAG_STORE, store)
                .strongReference(true)
                .register(meters);
    }

    private static Timer writeTimer(MeterRegistry meters, String store, String operation) {
        return Timer.builder(MetricNames.SINK_WRITE_SECONDS).tag(MetricNames.TAG_STORE, store)
                .tag(MetricNames.TAG_OPERATION, operation).publishPercentileHistogram().register(meters);
    }

    /** A chunk published at {@code publishedAtMs} is in the store now. */
    void written(long publishedAtMs, long nowMs) {
        freshness.record(Math.max(0, nowMs - publishedAtMs), TimeUnit.MILLISECONDS);
    }

    /** One task's buffer grew or shrank by {@code delta} records. */
    void buffered(long delta) {
        buffered.addAndGet(delta);
    }
}
