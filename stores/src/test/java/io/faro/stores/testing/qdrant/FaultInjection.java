package io.faro.stores.testing.qdrant;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts every RPC and makes Qdrant misbehave on demand the way an overloaded or unreachable node looks to a
 * client: a delay before answering, UNAVAILABLE on every call, or UNAVAILABLE on every second call.
 */
final class FaultInjection implements ServerInterceptor {

    private static final ServerCall.Listener<Object> IGNORE = new ServerCall.Listener<>() {
    };

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicLong sinceEveryOther = new AtomicLong();
    private volatile boolean everyOther;
    private volatile boolean all;
    private volatile Duration delay = Duration.ZERO;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        calls.incrementAndGet();
        Duration wait = delay;
        if (!wait.isZero() && !sleep(wait)) {
            return ignore();
        }
        if (Context.current().isCancelled()) {
            return ignore();
        }
        boolean fail = all || everyOther && sinceEveryOther.incrementAndGet() % 2 == 0;
        if (fail) {
            call.close(Status.UNAVAILABLE.withDescription(
                    "Qdrant stand-in: injected failure of " + call.getMethodDescriptor().getFullMethodName()),
                    new Metadata());
            return ignore();
        }
        return next.startCall(call, headers);
    }

    int calls() {
        return calls.get();
    }

    /** While on, calls 2, 4, 6, ... counted from this switch fail; calls 1, 3, 5, ... are served. */
    void failEveryOtherCall(boolean on) {
        sinceEveryOther.set(0);
        everyOther = on;
    }

    void failAll(boolean on) {
        all = on;
    }

    void delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        this.delay = delay;
    }

    private static boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static <Q> ServerCall.Listener<Q> ignore() {
        return (ServerCall.Listener<Q>) IGNORE;
    }
}
