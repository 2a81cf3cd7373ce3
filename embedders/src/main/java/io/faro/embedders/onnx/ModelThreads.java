package io.faro.embedders.onnx;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The threads an in-process model embeds on, one text per thread at a time. In one process the gateway and
 * the ingest share them: a question goes ahead of every passage that waits, so a search waits at most for
 * the texts already being embedded, not for the batches a bulk ingest has queued (dozens of passages each).
 * Within a lane, texts run in the order they came.
 */
final class ModelThreads implements AutoCloseable {

    /** Which texts go first. */
    enum Lane { QUERY, PASSAGE }

    private final ThreadPoolExecutor pool;
    private final AtomicLong order = new AtomicLong();

    ModelThreads(int threads, String namePrefix) {
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new PriorityBlockingQueue<>(),
                Thread.ofPlatform().name(namePrefix, 0).daemon().factory());
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * {@code work} on one of the threads, in its lane's turn; the future fails with a
     * {@link RejectedExecutionException} once the threads are stopped. Work whose future was cancelled while it
     * waited is skipped.
     */
    <T> CompletableFuture<T> submit(Lane lane, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            pool.execute(new Task(lane, order.getAndIncrement(), () -> {
                if (result.isDone()) {
                    return;
                }
                try {
                    result.complete(work.get());
                } catch (RuntimeException | Error e) { // an Error too: a caller waiting on it would wait forever
                    result.completeExceptionally(e);
                }
            }));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** An executor for work submitted by others (LangChain4j's model class): it waits in the passages' lane. */
    Executor passages() {
        return command -> pool.execute(new Task(Lane.PASSAGE, order.getAndIncrement(), command));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** What the queue orders: queries before passages, then first come, first served. */
    private record Task(Lane lane, long order, Runnable body) implements Runnable, Comparable<Task> {

        @Override
        public void run() {
            body.run();
        }

        @Override
        public int compareTo(Task other) {
            int byLane = lane.compareTo(other.lane);
            return byLane != 0 ? byLane : Long.compare(order, other.order);
        }
    }
}
