package io.faro.maintenance.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.store.StoreException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WriteBehindTest {

    @Test
    void shouldRunWritesInOrderWithAtMostOneInFlight() {
        // given writes that note when they run, and how many run at once
        List<Integer> order = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        try (WriteBehind writes = new WriteBehind()) {

            // when ten are handed in
            for (int i = 0; i < 10; i++) {
                int n = i;
                writes.submit(() -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    order.add(n);
                    running.decrementAndGet();
                });
            }
            writes.await();
        }

        // then all ran, one after the other, in the order given
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void shouldLetTheCallerGoOnWhileABatchIsWritten() {
        // given a write that cannot finish until it is released
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean written = new AtomicBoolean();
        try (WriteBehind writes = new WriteBehind()) {

            // when it is handed in, submit returns while it is still being written (the replay reads on)
            writes.submit(() -> {
                awaitQuietly(release);
                written.set(true);
            });
            assertThat(written).isFalse();

            // then await returns only once it is done
            release.countDown();
            writes.await();
            assertThat(written).isTrue();
        }
    }

    @Test
    void shouldThrowAFailedWritesErrorAtTheNextSubmitOrAwait() {
        try (WriteBehind writes = new WriteBehind()) {
            // given a write that fails
            writes.submit(() -> {
                throw new StoreException("pgvector is down");
            });

            // when the next batch is handed in, or the replay waits before a switch, then the failure surfaces
            assertThatThrownBy(() -> writes.submit(() -> { }))
                    .isInstanceOf(StoreException.class).hasMessage("pgvector is down");
            assertThatThrownBy(writes::await).isInstanceOf(StoreException.class).hasMessage("pgvector is down");
        }
    }

    @Test
    void shouldStopTheWriteInFlightBeforeCloseReturns() throws InterruptedException {
        // given a write still in flight when its replay fails
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean stopped = new AtomicBoolean();
        WriteBehind writes = new WriteBehind();
        writes.submit(() -> {
            started.countDown();
            awaitQuietly(new CountDownLatch(1));
            stopped.set(true);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        // when
        writes.close();

        // then the write has stopped, so the stores it wrote to can be closed
        assertThat(stopped).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
