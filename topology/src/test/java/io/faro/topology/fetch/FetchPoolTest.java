package io.faro.topology.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.core.document.ContentRef;
import io.faro.core.document.ContentUnavailableException;
import io.faro.core.document.ContentUnavailableException.Kind;
import io.faro.core.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FetchPoolTest {

    private static final ContentRef REF = ContentRef.parse("s3://b/k", Optional.empty(), Optional.empty());
    private static final Backoff FAST = new Backoff(Duration.ofMillis(5), Duration.ofMillis(20));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<FetchOutcome> outcomes = new CopyOnWriteArrayList<>();
    private FetchPool pool;

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void shouldRetryATransientFailureUntilItPasses() {
        // given: a fetcher that fails five times, then answers
        AtomicInteger calls = new AtomicInteger();
        pool = new FetchPool((ref, max) -> {
            if (calls.incrementAndGet() <= 5) {
                throw new ContentUnavailableException(Kind.TRANSIENT, "throttled", null);
            }
            return "bytes".getBytes(StandardCharsets.UTF_8);
        }, 1, 100, FAST, meters);

        // when
        pool.tryStart(REF, outcomes::add).orElseThrow();

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes).singleElement().isInstanceOfSatisfying(FetchOutcome.Fetched.class,
                fetched -> assertThat(fetched.bytes()).asString(StandardCharsets.UTF_8).isEqualTo("bytes"));
        assertThat(calls).hasValue(6);
        assertThat(meters.get(MetricNames.CLAIM_CHECK_FETCH_RETRIES).counter().count()).isEqualTo(5);
    }

    @Test
    void shouldEndAtOnceWithAPermanentFailure() {
        // given
        AtomicInteger calls = new AtomicInteger();
        pool = new FetchPool((ref, max) -> {
            calls.incrementAndGet();
            throw new ContentUnavailableException(Kind.PERMANENT, "no such object", null);
        }, 1, 100, FAST, meters);

        // when
        pool.tryStart(REF, outcomes::add).orElseThrow();

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes).singleElement().isInstanceOfSatisfying(FetchOutcome.Failed.class,
                failed -> assertThat(failed.error()).hasMessage("no such object"));
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldPassTheObjectLimitToTheFetcher() {
        // given
        AtomicInteger seen = new AtomicInteger();
        pool = new FetchPool((ref, max) -> {
            seen.set((int) max);
            return new byte[0];
        }, 1, 1234, FAST, meters);

        // when
        pool.tryStart(REF, outcomes::add).orElseThrow();

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        assertThat(seen).hasValue(1234);
    }

    @Test
    void shouldHoldASlotUntilTheOutcomeIsTaken() {
        // given
        pool = new FetchPool((ref, max) -> new byte[1], 2, 100, FAST, meters);

        // when
        FetchPool.Fetch first = pool.tryStart(REF, outcomes::add).orElseThrow();
        FetchPool.Fetch second = pool.tryStart(REF, outcomes::add).orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 2);

        // then: both done, yet no third starts until one is released
        assertThat(pool.tryStart(REF, outcomes::add)).isEmpty();
        first.release();
        first.release(); // idempotent: frees one slot, not two
        assertThat(pool.freeSlots()).isEqualTo(1);
        second.release();
        assertThat(pool.freeSlots()).isEqualTo(2);
    }

    @Test
    void shouldDropTheOutcomeOfACancelledFetchAndFreeItsSlot() throws InterruptedException {
        // given: a fetch that hangs until the test lets it go
        CountDownLatch hang = new CountDownLatch(1);
        pool = new FetchPool((ref, max) -> {
            try {
                hang.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new byte[1];
        }, 1, 100, FAST, meters);
        FetchPool.Fetch fetch = pool.tryStart(REF, outcomes::add).orElseThrow();

        // when
        fetch.cancel();
        hang.countDown();

        // then
        assertThat(pool.freeSlots()).isEqualTo(1);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(outcomes::isEmpty);
    }
}
