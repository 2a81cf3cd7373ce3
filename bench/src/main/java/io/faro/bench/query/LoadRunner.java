package io.faro.bench.query;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed number of callers, each sending its next request as soon as its last one is answered (a
 * closed loop), until the requests are used up. Records every request's latency.
 */
public final class LoadRunner {

    /** Latencies in milliseconds, in the order requests finished, and the wall-clock time of the whole load. */
    public record Load(double[] latenciesMs, double seconds) {

        public double throughput() {
            return latenciesMs.length / seconds;
        }

        /** Loads run one after the other, as one. */
        public static Load of(List<Load> loads) {
            return new Load(loads.stream().flatMapToDouble(load -> Arrays.stream(load.latenciesMs())).toArray(),
                    loads.stream().mapToDouble(Load::seconds).sum());
        }
    }

    private LoadRunner() {
    }

    /** Calls {@code request} with 0 .. requests-1 from {@code concurrency} threads; a failure aborts the load. */
    public static Load run(int concurrency, int requests, IntConsumer request) {
        double[] latencies = new double[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            Thread.ofPlatform().name("bench-caller-" + t).daemon().start(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < requests && failure.get() == null) {
                        long sent = System.nanoTime();
                        request.accept(i);
                        latencies[i] = (System.nanoTime() - sent) / 1e6;
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the load", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Load(latencies, (System.nanoTime() - start) / 1e9);
    }
}
