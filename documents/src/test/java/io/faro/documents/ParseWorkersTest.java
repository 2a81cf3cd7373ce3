package io.faro.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ParseWorkersTest {

    private final CountDownLatch release = new CountDownLatch(1);

    /** A parse stuck in a library call that ignores interrupts. */
    private String runaway() {
        boolean interrupted = false;
        while (true) {
            try {
                release.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return "late";
    }

    @Test
    void shouldFreeTheCallerAtTheTimeLimitWhileARunawayParseGoesOn() throws Exception {
        ParseWorkers workers = new ParseWorkers(2);

        long start = System.nanoTime();
        assertThatThrownBy(() -> workers.run(this::runaway, Duration.ofMillis(200)))
                .isInstanceOf(ExtractionException.class)
                .extracting(e -> ((ExtractionException) e).reason()).isEqualTo(ExtractionException.Reason.TIMEOUT);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        // the runaway keeps its slot, the other one still serves
        assertThat(workers.available()).isEqualTo(1);
        assertThat(workers.run(() -> "next", Duration.ofSeconds(5))).isEqualTo("next");

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> workers.available() == 2);
    }

    @Test
    void shouldRefuseWithinTheTimeLimitWhenRunawaysHoldEverySlot() {
        ParseWorkers workers = new ParseWorkers(1);
        assertThatThrownBy(() -> workers.run(this::runaway, Duration.ofMillis(100))).isInstanceOf(ExtractionException.class);

        assertThatThrownBy(() -> workers.run(() -> "never", Duration.ofMillis(100)))
                .isInstanceOf(ExtractionException.class)
                .hasMessageContaining("held by earlier parses");

        release.countDown();
    }

    @Test
    void shouldPassATaskFailureOnAsItIs() {
        ParseWorkers workers = new ParseWorkers(1);

        assertThatThrownBy(() -> workers.run(() -> {
            throw new java.io.IOException("broken");
        }, Duration.ofSeconds(5))).isInstanceOf(java.io.IOException.class).hasMessage("broken");
        await().atMost(Duration.ofSeconds(5)).until(() -> workers.available() == 1);
    }
}
