package io.faro.gateway.auth;

import io.faro.core.config.AuthSettings.CallerLimits;
import io.faro.gateway.http.ProblemException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Each caller's request rate (a token bucket: {@code burst} requests at once, refilled at the rate) and its requests
 * in flight, on this gateway replica. A caller over its rate gets 429 with the time until its next token; one with
 * as many requests in flight as it may have gets 503 at once, rather than queue behind its own requests and hold a
 * thread. Other callers are not slowed by either.
 *
 * <p>Callers are remembered by id; past {@link #MAX_CALLERS} (OIDC subjects can be many) the idle ones are
 * forgotten, which gives each of them a full bucket again.
 */
final class CallerLimiter {

    static final int MAX_CALLERS = 10_000;
    static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);

    private final Map<String, Limits> callers = new ConcurrentHashMap<>();

    private record Limits(CallerLimits settings, Optional<Bucket> rate, Optional<Semaphore> inFlight) {

        static Limits of(CallerLimits settings) {
            Optional<Bucket> rate = settings.requestsPerSecond() <= 0 ? Optional.empty()
                    : Optional.of(Bucket.builder().addLimit(limit -> limit.capacity(settings.burst())
                            .refillGreedy(settings.requestsPerSecond(), Duration.ofSeconds(1))).build());
            Optional<Semaphore> inFlight = settings.concurrency() <= 0 ? Optional.empty()
                    : Optional.of(new Semaphore(settings.concurrency()));
            return new Limits(settings, rate, inFlight);
        }

        boolean idle() {
            return inFlight.map(s -> s.availablePermits() == settings.concurrency()).orElse(true);
        }
    }

    /** Why a request was refused, for the rejection metric, with the problem it is answered with. */
    static final class Refused extends Exception {
        final String reason;
        final ProblemException problem;

        Refused(String reason, ProblemException problem) {
            super(problem.getMessage(), null, false, false);
            this.reason = reason;
            this.problem = problem;
        }
    }

    /** Admits one request of {@code caller}; the returned permit is closed when the request is done. */
    AutoCloseable admit(Caller caller) throws Refused {
        if (caller.limits().requestsPerSecond() <= 0 && caller.limits().concurrency() <= 0) {
            return () -> { };
        }
        Limits limits = limitsOf(caller);
        if (limits.rate().isPresent()) {
            ConsumptionProbe probe = limits.rate().get().tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                throw new Refused("rate-limited", ProblemException.tooManyRequests("'" + caller.client()
                        + "' sends more than " + caller.limits().requestsPerSecond() + " requests per second (bursts of "
                        + caller.limits().burst() + "); wait for Retry-After",
                        Duration.ofNanos(probe.getNanosToWaitForRefill())));
            }
        }
        if (limits.inFlight().isPresent()) {
            Semaphore inFlight = limits.inFlight().get();
            if (!inFlight.tryAcquire()) {
                throw new Refused("concurrency", ProblemException.tooManyConcurrent("'" + caller.client()
                        + "' has " + caller.limits().concurrency() + " requests in flight, as many as it may; send the"
                        + " next when one is answered", BUSY_RETRY_AFTER));
            }
            return inFlight::release;
        }
        return () -> { };
    }

    private Limits limitsOf(Caller caller) {
        Limits known = callers.get(caller.id());
        if (known != null && known.settings().equals(caller.limits())) {
            return known;
        }
        if (callers.size() >= MAX_CALLERS) {
            callers.values().removeIf(Limits::idle);
        }
        // a key whose limits changed in the file starts afresh with the new ones
        return callers.compute(caller.id(), (id, old) -> old != null && old.settings().equals(caller.limits()) ? old
                : Limits.of(caller.limits()));
    }
}
