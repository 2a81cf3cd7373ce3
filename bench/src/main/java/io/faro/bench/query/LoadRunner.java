package io.faro.bench.query;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * A fixed number of callers, each sending its next request as soon as its last one is answered (a
 * closed loop), until the requests are used up. Records every request's latency.
 */
public final class LoadRunner {

    /**
     * Latencies in milliseconds, in the order requests finished, and the wall-clock time of the whole load; the CPU
     * time this JVM used meanwhile (every thread, the callers' own included) and that of the callers alone.
     */
    public record Load(double[] latenciesMs, double seconds, double processCpuSeconds, double callerCpuSeconds) {

        public double throughput() {
            return latenciesMs.length / seconds;
        }

        /** This JVM's CPU time a request, in milliseconds. */
        public double processCpuMsPerRequest() {
            return processCpuSeconds * 1000 / latenciesMs.length;
        }

        /** The callers' own CPU time a request, in milliseconds: for an HTTP path, the load generator's. */
        public double callerCpuMsPerRequest() {
            return callerCpuSeconds * 1000 / latenciesMs.length;
        }

        /** Loads run one after the other, as one. */
        public static Load of(List<Load> loads) {
            return new Load(loads.stream().flatMapToDouble(load -> Arrays.stream(load.latenciesMs())).toArray(),
                    loads.stream().mapToDouble(Load::seconds).sum(),
                    loads.stream().mapToDouble(Load::processCpuSeconds).sum(),
                    loads.stream().mapToDouble(Load::callerCpuSeconds).sum());
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private LoadRunner() {
    }

    /** Calls {@code request} with 0 .. requests-1 from {@code concurrency} threads; a failure aborts the load. */
    public static Load run(int concurrency, int requests, IntConsumer request) {
        double[] latencies = new double[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(concurrency);
        LongAdder callerCpuNanos = new LongAdder();
        long processCpuStart = processCpuNanos();
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            Thread.ofPlatform().name("bench-caller-" + t).daemon().start(() -> {
                long cpuStart = THREADS.getCurrentThreadCpuTime();
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
                    callerCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpuStart);
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
        return new Load(latencies, (System.nanoTime() - start) / 1e9, (processCpuNanos() - processCpuStart) / 1e9,
                callerCpuNanos.sum() / 1e9);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
