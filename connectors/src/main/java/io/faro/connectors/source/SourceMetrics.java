package io.faro.connectors.source;

import io.faro.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** What the S3 source tells Prometheus: the changes it published, its scans, its position's size, who lists. */
final class SourceMetrics {

    private final Counter created;
    private final Counter changed;
    private final Counter deleted;
    private final Timer completeScans;
    private final Timer failedScans;
    private final AtomicInteger objects = new AtomicInteger();
    private final AtomicInteger leader = new AtomicInteger();

    SourceMetrics(MeterRegistry meters) {
        created = meters.counter(MetricNames.S3_SOURCE_CHANGES, MetricNames.TAG_CHANGE, "created");
        changed = meters.counter(MetricNames.S3_SOURCE_CHANGES, MetricNames.TAG_CHANGE, "changed");
        deleted = meters.counter(MetricNames.S3_SOURCE_CHANGES, MetricNames.TAG_CHANGE, "deleted");
        completeScans = meters.timer(MetricNames.S3_SOURCE_SCAN_SECONDS, MetricNames.TAG_OUTCOME, "complete");
        failedScans = meters.timer(MetricNames.S3_SOURCE_SCAN_SECONDS, MetricNames.TAG_OUTCOME, "failed");
        Gauge.builder(MetricNames.S3_SOURCE_OBJECTS, objects, AtomicInteger::get).register(meters);
        Gauge.builder(MetricNames.S3_SOURCE_LEADER, leader, AtomicInteger::get).register(meters);
    }

    void published(List<Change> changes) {
        for (Change change : changes) {
            switch (change) {
                case Change.Upsert upsert -> (upsert.created() ? created : changed).increment();
                case Change.Delete delete -> deleted.increment();
            }
        }
    }

    void scanned(long nanos, boolean complete) {
        (complete ? completeScans : failedScans).record(java.time.Duration.ofNanos(nanos));
    }

    void position(int size) {
        objects.set(size);
    }

    void leading(boolean leading) {
        leader.set(leading ? 1 : 0);
    }
}
