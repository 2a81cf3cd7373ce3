package io.faro.topology.embed;

import io.faro.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The time at least one embedding batch was with the model ({@link MetricNames#EMBED_BUSY_SECONDS}), counted
 * once however many were. Every stream task of the ingest embeds its own batches, several under way at once,
 * with the one model of the process, so the batches' own durations add up to more than the model's time; one
 * of these is shared by the tasks. Thread-safe: batches end on the model's threads.
 */
public final class ModelBusyTime {

    private final Counter seconds;
    private int underWay;
    private long sinceNanos;

    public ModelBusyTime(MeterRegistry meters, String model) {
        this.seconds = meters.counter(MetricNames.EMBED_BUSY_SECONDS, MetricNames.TAG_MODEL, model);
    }

    /** A batch went to the model at {@code nanos} ({@link System#nanoTime()}). */
    synchronized void started(long nanos) {
        if (underWay++ == 0) {
            sinceNanos = nanos;
        }
    }

    /** A batch came back, or was given up, at {@code nanos}. */
    synchronized void ended(long nanos) {
        if (--underWay == 0) {
            seconds.increment(Math.max(0, nanos - sinceNanos) / 1e9);
        }
    }
}
