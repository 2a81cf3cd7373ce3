package io.faro.topology.dlq;

import io.faro.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts dead letters by stage and reason. The reasons a stage can give are registered at zero up front,
 * so a dashboard shows 0, not "no data", before the first one. Counted when the record is forwarded: an
 * exactly-once transaction that aborts and is redone counts its dead letters again.
 */
public final class DeadLetterCounter {

    private final MeterRegistry meters;

    public DeadLetterCounter(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Registers the series of the reasons {@code stage} can give, at zero. */
    public DeadLetterCounter expect(String stage, DeadLetterReason... reasons) {
        for (DeadLetterReason reason : reasons) {
            counter(stage, reason);
        }
        return this;
    }

    public void count(String stage, DeadLetterReason reason) {
        counter(stage, reason).increment();
    }

    private Counter counter(String stage, DeadLetterReason reason) {
        return meters.counter(MetricNames.DLQ_RECORDS, MetricNames.TAG_STAGE, stage,
                MetricNames.TAG_REASON, reason.label());
    }
}
