package io.faro.gateway.search;

import io.faro.core.config.FaroConfig.SearchSettings;
import io.faro.core.model.SearchHit;
import io.faro.core.store.SearchMode;
import io.faro.core.store.SearchModeUnavailableException;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import io.faro.gateway.http.ProblemException;
import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Searches the primary store and, for a sample of queries, the shadow store at the same time. The
 * answer comes from the primary; the shadow only measures (latency, overlap of the two top-k) and
 * never holds the answer up. When the primary fails, times out or its circuit breaker is open, the
 * answer comes from the shadow and says it is degraded. Both run the same query, in the same mode, so their
 * overlap compares like with like. A store that cannot answer a mode at all (a copy without a keyword side)
 * is not counted as down: the other store answers, or the caller hears which store to rebuild.
 */
public final class DualSearch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DualSearch.class);

    public static final String REASON_ERROR = "error";
    public static final String REASON_TIMEOUT = "timeout";
    public static final String REASON_CIRCUIT_OPEN = "circuit_open";
    /** The store cannot answer the request's search mode ({@link SearchModeUnavailableException}). */
    public static final String REASON_MODE_UNAVAILABLE = "mode_unavailable";

    private final ModelFollowingSearch primary;
    private final Optional<ModelFollowingSearch> shadow;
    private final SearchSettings settings;
    private final SearchMetrics metrics;
    private final RandomGenerator random;
    private final CircuitBreaker breaker;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** {@code model} is the model the stores are expected to hold; a store switched to another is followed. */
    DualSearch(VectorStore primary, Optional<VectorStore> shadow, String model, SearchSettings settings,
               SearchMetrics metrics, RandomGenerator random) {
        this.primary = new ModelFollowingSearch(primary, model);
        this.shadow = shadow.map(store -> new ModelFollowingSearch(store, model));
        this.settings = settings;
        this.metrics = metrics;
        this.random = random;
        // at zero with no shadow too: no fallback and no shadow failure is a true zero on the dashboards
        metrics.expectShadow(shadow.map(VectorStore::name).orElse(SearchMetrics.NO_SHADOW));
        this.breaker = CircuitBreaker.builder()
                .name(primary.name() + "-search")
                .volume(10)
                .errorRatio(50)
                .successThreshold(2)
                .delay(Duration.ofSeconds(10))
                // a mode the store cannot answer says nothing of its health: dense searches go on being served
                .addSkipOn(SearchModeUnavailableException.class)
                .build();
    }

    /** What one search found, where it came from, and what it measured. */
    public record Outcome(List<SearchHit> hits, String servedBy, Optional<String> fallbackReason,
                          Map<String, Double> storeMillis, Optional<Double> overlap) {

        public boolean degraded() {
            return fallbackReason.isPresent();
        }
    }

    private record Timed(List<SearchHit> hits, long nanos) {
    }

    /** The model the primary store held at the last search: the one to embed the next question with first. */
    String primaryModel() {
        return primary.model();
    }

    public Outcome search(QueryVectors vector, Question question) {
        Optional<CompletableFuture<Timed>> shadowStarted = shadow
                .filter(store -> random.nextDouble() < settings.shadowSampleRate())
                .map(store -> run(store, vector, question));
        // The shadow's deadline bounds its measurement only; a fallback waits for the search itself.
        Optional<CompletableFuture<Timed>> shadowRun = shadowStarted.map(run -> run.copy()
                .orTimeout(settings.shadowTimeoutMs(), TimeUnit.MILLISECONDS));
        Timed answer;
        try {
            answer = shadow.isPresent()
                    ? breaker.invoke(() -> searchPrimary(vector, question))
                    : searchPrimary(vector, question);
        } catch (CircuitBreakerOpenException e) {
            return fallback(REASON_CIRCUIT_OPEN, e, shadowStarted, vector, question);
        } catch (PrimaryTimeoutException e) {
            return fallback(REASON_TIMEOUT, e, shadowStarted, vector, question);
        } catch (SearchModeUnavailableException e) {
            return fallback(REASON_MODE_UNAVAILABLE, e, shadowStarted, vector, question);
        } catch (StoreException e) {
            return fallback(REASON_ERROR, e, shadowStarted, vector, question);
        }
        Map<String, Double> millis = new LinkedHashMap<>();
        millis.put(primary.name(), Retriever.millis(answer.nanos()));
        Optional<Double> overlap = Optional.empty();
        if (shadowRun.isPresent()) {
            CompletableFuture<Timed> run = shadowRun.get();
            // Measured whenever the shadow finishes; reported in this answer only if it already has.
            run.whenComplete((shadowed, error) -> measureShadow(question, answer, shadowed, error));
            if (run.isDone() && !run.isCompletedExceptionally()) {
                Timed shadowed = run.join();
                millis.put(shadow.get().name(), Retriever.millis(shadowed.nanos()));
                overlap = Optional.of(overlap(answer.hits(), shadowed.hits()));
            }
        }
        return new Outcome(answer.hits(), primary.name(), Optional.empty(), millis, overlap);
    }

    private Timed searchPrimary(QueryVectors vector, Question question) {
        if (shadow.isEmpty()) {
            // Nothing to fall back to, so no deadline to keep: search on the request's own thread, without the
            // hop to another and back. The store's own timeout still bounds the wait.
            Timed timed = timed(primary, vector, question);
            metrics.latency(primary.name(), question.mode(), timed.nanos());
            return timed;
        }
        CompletableFuture<Timed> run = run(primary, vector, question);
        try {
            Timed timed = run.get(settings.primaryTimeoutMs(), TimeUnit.MILLISECONDS);
            metrics.latency(primary.name(), question.mode(), timed.nanos());
            return timed;
        } catch (TimeoutException e) {
            run.cancel(true);
            throw new PrimaryTimeoutException(primary.name() + " did not answer within "
                    + settings.primaryTimeoutMs() + " ms (FARO_PRIMARY_TIMEOUT_MS)");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException store ? store
                    : new StoreException(primary.name() + " search failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while searching " + primary.name(), e);
        }
    }

    private Outcome fallback(String reason, RuntimeException cause, Optional<CompletableFuture<Timed>> shadowStarted,
                             QueryVectors vector, Question question) {
        if (shadow.isEmpty()) {
            if (cause instanceof SearchModeUnavailableException refused) {
                throw ProblemException.searchModeUnavailable(refused.getMessage() + "; " + otherModes(question));
            }
            throw ProblemException.unavailable("the " + primary.name() + " store cannot be searched right now: "
                    + cause.getMessage());
        }
        ModelFollowingSearch backup = shadow.get();
        metrics.fallback(reason);
        LOG.warn("search falls back to {}: {} ({})", backup.name(), reason, cause.getMessage());
        try {
            // The shadow's own deadline does not apply to an answer: the search already under way (or a new one,
            // when none was sampled or it failed) gets as long as a primary would.
            CompletableFuture<Timed> search = shadowStarted
                    .map(run -> run.exceptionallyCompose(e -> run(backup, vector, question)))
                    .orElseGet(() -> run(backup, vector, question));
            Timed timed = search.get(settings.primaryTimeoutMs(), TimeUnit.MILLISECONDS);
            metrics.latency(backup.name(), question.mode(), timed.nanos());
            return new Outcome(timed.hits(), backup.name(), Optional.of(reason),
                    Map.of(backup.name(), Retriever.millis(timed.nanos())), Optional.empty());
        } catch (ExecutionException e) {
            boolean bothRefused = cause instanceof SearchModeUnavailableException
                    && unwrap(e) instanceof SearchModeUnavailableException;
            if (bothRefused) {
                throw ProblemException.searchModeUnavailable(cause.getMessage() + "; " + unwrap(e).getMessage()
                        + "; " + otherModes(question));
            }
            throw ProblemException.unavailable("neither store can be searched right now: " + primary.name() + " ("
                    + cause.getMessage() + "), " + backup.name() + " (" + unwrap(e).getMessage() + ")");
        } catch (TimeoutException e) {
            throw ProblemException.unavailable("neither store can be searched right now: " + primary.name() + " ("
                    + cause.getMessage() + "), " + backup.name() + " (" + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("interrupted while searching " + backup.name());
        }
    }

    private void measureShadow(Question question, Timed answer, Timed shadowed, Throwable error) {
        String store = shadow.orElseThrow().name();
        if (error != null) {
            Throwable cause = unwrap(error);
            metrics.shadowFailed(store, cause instanceof TimeoutException ? REASON_TIMEOUT
                    : cause instanceof SearchModeUnavailableException ? REASON_MODE_UNAVAILABLE : REASON_ERROR);
            return;
        }
        metrics.latency(store, question.mode(), shadowed.nanos());
        metrics.overlap(overlap(answer.hits(), shadowed.hits()));
    }

    /**
     * |top-k ∩ shadow top-k| / k by chunk id, where k is the longer of the two lists (at most the
     * requested top-k): a store that holds fewer than top-k chunks in all does not read as disagreement.
     * Two empty answers agree.
     */
    static double overlap(List<SearchHit> primaryHits, List<SearchHit> shadowHits) {
        int k = Math.max(primaryHits.size(), shadowHits.size());
        if (k == 0) {
            return 1.0;
        }
        Set<String> shadowIds = new HashSet<>();
        shadowHits.forEach(hit -> shadowIds.add(hit.chunkId()));
        long shared = primaryHits.stream().map(SearchHit::chunkId).filter(shadowIds::contains).count();
        return (double) shared / k;
    }

    private CompletableFuture<Timed> run(ModelFollowingSearch store, QueryVectors vector, Question question) {
        return CompletableFuture.supplyAsync(() -> timed(store, vector, question), executor);
    }

    private static Timed timed(ModelFollowingSearch store, QueryVectors vector, Question question) {
        long start = System.nanoTime();
        List<SearchHit> hits = store.search(vector, question);
        return new Timed(hits, System.nanoTime() - start);
    }

    /** The failure itself, out of the wrappers a future puts around it. */
    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String otherModes(Question question) {
        return "rebuild the store (faro rebuild) to search it in " + question.mode().wireName()
                + " mode, or ask in another mode (\"mode\": one of " + SearchMode.names() + ")";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** The primary store did not answer in time. */
    static final class PrimaryTimeoutException extends StoreException {
        PrimaryTimeoutException(String message) {
            super(message);
        }
    }
}
