package io.faro.topology.fetch;

import io.faro.core.document.ContentFetcher;
import io.faro.core.document.ContentRef;
import io.faro.core.document.ContentUnavailableException;
import io.faro.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches claim checks off the stream threads, at most {@code concurrency} at a time for the whole process. A fetch
 * holds its slot from its start until the stream thread has taken its outcome ({@link Fetch#release()}), retries
 * included, so at most {@code concurrency} fetched objects are ever held in memory. A transient failure is retried
 * with {@link Backoff} for as long as it lasts, never given up; a permanent one ends the fetch with the failure.
 */
public final class FetchPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FetchPool.class);

    private final ContentFetcher fetcher;
    private final int maxObjectBytes;
    private final Backoff backoff;
    private final Semaphore slots;
    private final int concurrency;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Timer fetched;
    private final Timer failed;
    private final Counter retries;

    public FetchPool(ContentFetcher fetcher, int concurrency, int maxObjectBytes, Backoff backoff,
                     MeterRegistry meters) {
        this.fetcher = fetcher;
        this.concurrency = concurrency;
        this.maxObjectBytes = maxObjectBytes;
        this.backoff = backoff;
        this.slots = new Semaphore(concurrency);
        this.workers = Executors.newFixedThreadPool(concurrency, daemons("faro-fetch-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemons("faro-fetch-backoff-"));
        this.fetched = fetchTimer(meters, "fetched");
        this.failed = fetchTimer(meters, "failed");
        this.retries = meters.counter(MetricNames.CLAIM_CHECK_FETCH_RETRIES);
    }

    private static Timer fetchTimer(MeterRegistry meters, String outcome) {
        return Timer.builder(MetricNames.CLAIM_CHECK_FETCH_SECONDS)
                .description("From a claim check's first fetch attempt to its bytes, or to a permanent failure")
                .tag(MetricNames.TAG_OUTCOME, outcome).publishPercentileHistogram().register(meters);
    }

    public int maxObjectBytes() {
        return maxObjectBytes;
    }

    /** Slots free now; a caller that found none may try again when this is above zero. */
    public int freeSlots() {
        return slots.availablePermits();
    }

    public int concurrency() {
        return concurrency;
    }

    /**
     * Starts fetching {@code ref} when a slot is free. {@code onOutcome} is called once, on a pool thread, unless
     * the fetch is cancelled first.
     */
    public Optional<Fetch> tryStart(ContentRef ref, Consumer<FetchOutcome> onOutcome) {
        if (!slots.tryAcquire()) {
            return Optional.empty();
        }
        Fetch fetch = new Fetch(ref, onOutcome);
        workers.execute(fetch::attempt);
        return Optional.of(fetch);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One claim check being fetched: its slot, its attempts, and whether anyone still wants the outcome. */
    public final class Fetch {

        private final ContentRef ref;
        private final Consumer<FetchOutcome> onOutcome;
        private final long startNanos = System.nanoTime();
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile boolean cancelled;
        private int failures;

        private Fetch(ContentRef ref, Consumer<FetchOutcome> onOutcome) {
            this.ref = ref;
            this.onOutcome = onOutcome;
        }

        public ContentRef ref() {
            return ref;
        }

        /** Frees the slot: the outcome has been taken, or is no longer wanted. Idempotent. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                slots.release();
            }
        }

        /** Drops the fetch: no outcome is delivered, the slot is freed now. */
        public void cancel() {
            cancelled = true;
            release();
        }

        private void attempt() {
            if (cancelled) {
                return;
            }
            FetchOutcome outcome;
            try {
                outcome = new FetchOutcome.Fetched(fetcher.fetch(ref, maxObjectBytes));
            } catch (ContentUnavailableException e) {
                if (e.isTransient()) {
                    retryLater(e);
                    return;
                }
                outcome = new FetchOutcome.Failed(e);
            } catch (RuntimeException e) {
                // a fault of the fetcher's own, not of the object: the next attempt may not meet it
                retryLater(new ContentUnavailableException(ContentUnavailableException.Kind.TRANSIENT,
                        ref + ": the fetch failed unexpectedly (" + e + ")", e));
                return;
            }
            (outcome instanceof FetchOutcome.Fetched ? fetched : failed)
                    .record(Duration.ofNanos(System.nanoTime() - startNanos));
            if (!cancelled) {
                onOutcome.accept(outcome);
            }
        }

        private void retryLater(ContentUnavailableException e) {
            failures++;
            retries.increment();
            Duration wait = backoff.after(failures);
            LOG.warn("fetching {} failed (attempt {}), retrying in {} ms: {}", ref, failures, wait.toMillis(),
                    e.getMessage());
            try {
                if (!cancelled) {
                    timer.schedule(() -> workers.execute(this::attempt), wait.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (RejectedExecutionException closed) {
                // the pool is closing with its process; the claim check waits in its store for the next start
            }
        }
    }
}
