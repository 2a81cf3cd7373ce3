package io.faro.embedders.openai;

import io.faro.core.metrics.MetricNames;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Optional;

/**
 * The provider's requests-per-minute and tokens-per-minute limits, as two token buckets that refill
 * continuously. Each holds a second's worth at most, so that what FARO sends in any minute stays within
 * about a sixtieth of the limit: providers enforce their per-minute limits over shorter periods too.
 * Requests wait here, rather than be refused with a 429 and wait anyway.
 */
final class ProviderLimits {

    private final Optional<Bucket> requests;
    private final Optional<Bucket> tokens;
    private final long tokenCapacity;
    private final Timer requestWait;
    private final Timer tokenWait;

    ProviderLimits(int requestsPerMinute, int tokensPerMinute, String model, MeterRegistry meters) {
        this.requests = bucket(requestsPerMinute);
        this.tokens = bucket(tokensPerMinute);
        this.tokenCapacity = tokensPerMinute > 0 ? capacity(tokensPerMinute) : Long.MAX_VALUE;
        this.requestWait = waitTimer(model, "requests", meters);
        this.tokenWait = waitTimer(model, "tokens", meters);
    }

    private static Optional<Bucket> bucket(int perMinute) {
        if (perMinute <= 0) {
            return Optional.empty();
        }
        long capacity = capacity(perMinute);
        return Optional.of(Bucket.builder().addLimit(limit -> limit.capacity(capacity)
                .refillGreedy(perMinute, Duration.ofMinutes(1)).initialTokens(capacity)).build());
    }

    private static long capacity(int perMinute) {
        return Math.max(1, perMinute / 60);
    }

    private static Timer waitTimer(String model, String limit, MeterRegistry meters) {
        return Timer.builder(MetricNames.EMBEDDING_LIMIT_WAIT_SECONDS).tag(MetricNames.TAG_MODEL, model)
                .tag(MetricNames.TAG_LIMIT, limit).register(meters);
    }

    /** The most tokens one request may hold and still pass the token limit at once. */
    long maxTokensPerRequest() {
        return tokenCapacity;
    }

    /** Waits until a request of {@code requestTokens} tokens may go. */
    void await(int requestTokens) throws InterruptedException {
        if (requests.isPresent()) {
            consume(requests.get(), 1, requestWait);
        }
        if (tokens.isPresent()) {
            consume(tokens.get(), Math.min(requestTokens, tokenCapacity), tokenWait);
        }
    }

    private static void consume(Bucket bucket, long amount, Timer waited) throws InterruptedException {
        if (bucket.tryConsume(amount)) {
            waited.record(Duration.ZERO);
            return;
        }
        long start = System.nanoTime();
        bucket.asBlocking().consume(amount);
        waited.record(Duration.ofNanos(System.nanoTime() - start));
    }
}
