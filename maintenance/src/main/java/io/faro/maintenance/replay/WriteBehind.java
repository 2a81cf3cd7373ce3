package io.faro.maintenance.replay;

import io.faro.core.store.StoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Store writes of a replay, one batch in flight: while the store writes one batch, the replay reads and
 * decodes the next. Writes run one after another in the order they were handed in, so a later record of
 * a chunk is never overtaken by an earlier one. A failed write fails the next {@link #submit} or
 * {@link #await}, which a replay calls before it verifies or switches a store. {@link #close} stops a write
 * still in flight and waits for it, so that the stores can be closed after it.
 */
public final class WriteBehind implements AutoCloseable {

    /** How long {@link #close} waits for an interrupted write; the store drivers stop at an interrupt. */
    private static final long STOP_SECONDS = 10;

    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("faro-replay-writer").daemon().factory());
    private Future<?> inFlight = CompletableFuture.completedFuture(null);

    /** Waits for the batch in flight, then starts this one. */
    public void submit(Runnable write) {
        await();
        inFlight = writer.submit(write);
    }

    /** Waits until every write handed in is done; throws what a failed one threw. */
    public void await() {
        try {
            inFlight.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new StoreException("a replayed write failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a replayed write", e);
        }
    }

    /** Interrupts a write still in flight (a replay that failed) and waits until it has stopped. */
    @Override
    public void close() {
        writer.shutdownNow();
        try {
            writer.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
