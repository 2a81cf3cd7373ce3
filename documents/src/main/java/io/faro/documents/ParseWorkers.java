package io.faro.documents;

import io.faro.core.FaroException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each parse on a thread of its own and waits for it at most the time limit, so a parse that never ends
 * cannot hold the caller (a stream thread) past it. A parse past its time is interrupted and abandoned; its
 * thread keeps its slot until it really ends, so abandoned parses can never take more than {@code slots}
 * threads. When every slot is held by one, the next document waits for a slot at most its own time limit.
 * The parser stops itself at its next callback once its deadline has passed ({@link StructureHandler}), so a
 * slot comes back soon in practice; only a parser stuck inside a library call keeps it longer.
 */
final class ParseWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(ParseWorkers.class);

    private final Semaphore slots;
    private final int size;
    private final AtomicInteger started = new AtomicInteger();

    ParseWorkers(int slots) {
        this.size = slots;
        this.slots = new Semaphore(slots);
    }

    /** The most parses that may be alive at once, abandoned ones included. */
    static int defaultSlots() {
        return Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * The task's result, or a {@link ExtractionException.Reason#TIMEOUT} when it has not ended within
     * {@code timeout} of this call.
     */
    <T> T run(Callable<T> task, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ExtractionException(ExtractionException.Reason.TIMEOUT, "no parse could start within "
                        + timeout.toMillis() + " ms (FARO_PARSE_TIMEOUT_MS): all " + size
                        + " parse threads are held by earlier parses that ran past their time");
            }
            CompletableFuture<T> result = new CompletableFuture<>();
            Thread thread = Thread.ofPlatform().daemon().name("faro-parse-" + started.incrementAndGet())
                    .unstarted(() -> {
                        try {
                            result.complete(task.call());
                        } catch (Throwable t) {
                            result.completeExceptionally(t);
                        } finally {
                            slots.release();
                        }
                    });
            thread.start();
            try {
                return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                thread.interrupt();
                LOG.warn("abandoned parse thread {} after {} ms; it keeps its slot until it ends", thread.getName(),
                        timeout.toMillis());
                throw new ExtractionException(ExtractionException.Reason.TIMEOUT, "parsing ran past "
                        + timeout.toMillis() + " ms (FARO_PARSE_TIMEOUT_MS)");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : new FaroException(e.getCause().toString(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaroException("interrupted while waiting for a document's text", e);
        }
    }

    /** Slots free now: {@code slots} when no parse is running. */
    int available() {
        return slots.availablePermits();
    }
}
