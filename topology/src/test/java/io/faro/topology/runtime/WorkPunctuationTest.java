package io.faro.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.junit.jupiter.api.Test;

class WorkPunctuationTest {

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private final AtomicBoolean workLeft = new AtomicBoolean(true);
    private final AtomicInteger runs = new AtomicInteger();
    private final WorkPunctuation punctuation = new WorkPunctuation(context, Duration.ofMillis(50), now -> {
        runs.incrementAndGet();
        return workLeft.get();
    });

    @Test
    void shouldNotBeScheduledBeforeWorkComes() {
        // given a processor that has had no work
        // then no punctuation runs, and so none makes its task commit
        assertThat(context.scheduledPunctuators()).isEmpty();
        assertThat(punctuation.isScheduled()).isFalse();
    }

    @Test
    void shouldScheduleOnceHoweverOftenWorkComes() {
        // when work comes twice
        punctuation.expect();
        punctuation.expect();

        // then one wall-clock punctuation runs, at the interval
        assertThat(context.scheduledPunctuators()).singleElement().satisfies(captured -> {
            assertThat(captured.getInterval()).isEqualTo(Duration.ofMillis(50));
            assertThat(captured.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        });
    }

    @Test
    void shouldKeepRunningWhileWorkIsLeftAndStopOnceNoneIs() {
        // given
        punctuation.expect();
        CapturedPunctuator captured = context.scheduledPunctuators().getFirst();

        // when it runs with work left, then it stays
        captured.getPunctuator().punctuate(100);
        assertThat(captured.cancelled()).isFalse();

        // when it runs and finds none, then it stops
        workLeft.set(false);
        captured.getPunctuator().punctuate(150);
        assertThat(captured.cancelled()).isTrue();
        assertThat(punctuation.isScheduled()).isFalse();
        assertThat(runs).hasValue(2);
    }

    @Test
    void shouldStartAgainWhenWorkComesAfterItStopped() {
        // given a punctuation that stopped for lack of work
        punctuation.expect();
        workLeft.set(false);
        context.scheduledPunctuators().getFirst().getPunctuator().punctuate(100);

        // when work comes again
        punctuation.expect();

        // then a new punctuation runs
        assertThat(context.scheduledPunctuators()).hasSize(2);
        assertThat(context.scheduledPunctuators().getLast().cancelled()).isFalse();
        assertThat(punctuation.isScheduled()).isTrue();
    }
}
