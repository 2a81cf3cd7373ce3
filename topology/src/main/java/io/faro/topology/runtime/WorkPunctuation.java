package io.faro.topology.runtime;

import java.time.Duration;
import java.util.function.LongPredicate;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * A wall-clock punctuation that runs only while its processor has work waiting. Kafka Streams commits a
 * task after every punctuation that ran, so a punctuation left running on an idle task commits an empty
 * exactly-once transaction every commit interval, for ever: offsets, transaction markers and a write to
 * {@code __consumer_offsets}, ten times a second per task, on the broker and on the cores the gateway and
 * the model share in one process.
 *
 * <p>The processor calls {@link #expect()} when work comes; the punctuator returns whether work is left,
 * and the punctuation stops after the first run that finds none.
 */
public final class WorkPunctuation {

    private final ProcessorContext<?, ?> context;
    private final Duration interval;
    private final LongPredicate punctuator;
    private Cancellable scheduled;

    /** {@code punctuator} gets the wall-clock time and answers whether work is still waiting. */
    public WorkPunctuation(ProcessorContext<?, ?> context, Duration interval, LongPredicate punctuator) {
        this.context = context;
        this.interval = interval;
        this.punctuator = punctuator;
    }

    /** Work came: the punctuation runs from now on, until it finds none. */
    public void expect() {
        if (scheduled == null) {
            scheduled = context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        }
    }

    /** Whether the punctuation is scheduled: work is waiting, or was when it last ran. */
    public boolean isScheduled() {
        return scheduled != null;
    }

    private void punctuate(long nowMs) {
        if (!punctuator.test(nowMs) && scheduled != null) {
            scheduled.cancel();
            scheduled = null;
        }
    }
}
