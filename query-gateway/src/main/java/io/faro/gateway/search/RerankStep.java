package io.faro.gateway.search;

import io.faro.core.config.FaroConfig;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.SearchHit;
import io.faro.core.rerank.RerankException;
import io.faro.core.rerank.RerankException.Reason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reorders a search's fused hits by the reranker's scores, within its deadline. The search fetches
 * {@code max(top_k, candidates)} hits; all of them are reranked, and the best {@code top_k} are returned, each
 * with the reranker's score. When the reranker fails, answers something unusable or misses the deadline, the fused
 * order stands and the answer says why; the gateway stops waiting at the deadline whatever the reranker does (an
 * in-process model cannot be interrupted mid-inference, an HTTP call is abandoned).
 */
final class RerankStep implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RerankStep.class);

    private final Optional<Reranking> reranking;
    private final MeterRegistry meters;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    RerankStep(Optional<Reranking> reranking, MeterRegistry meters) {
        this.reranking = reranking;
        this.meters = meters;
        // at zero before the first failure, so that dashboards and alerts see 0 rather than no data
        reranking.ifPresent(on -> {
            for (Reason reason : Reason.values()) {
                meters.counter(MetricNames.RERANK_FAILURES, MetricNames.TAG_REASON, reason.wireName());
            }
        });
    }

    /** Whether the reranker ran, why not when it did not, and how long it took. */
    record Outcome(boolean reranked, Optional<String> error, double millis) {
    }

    /** The hits and, when a reranker is configured, what it did. */
    record Reranked(List<SearchHit> hits, Optional<Outcome> outcome) {
    }

    /** How many hits to fetch for a search that returns {@code topK}. */
    int fetch(int topK) {
        return reranking.map(on -> Math.max(topK, on.candidates())).orElse(topK);
    }

    Reranked apply(String question, List<SearchHit> fused, int topK) {
        if (reranking.isEmpty()) {
            return new Reranked(first(fused, topK), Optional.empty());
        }
        if (fused.isEmpty()) {
            return new Reranked(fused, Optional.of(new Outcome(true, Optional.empty(), 0.0)));
        }
        Reranking on = reranking.get();
        long start = System.nanoTime();
        try {
            List<Double> scores = scores(on, question, fused);
            long nanos = System.nanoTime() - start;
            record("ok", nanos);
            return new Reranked(first(reordered(fused, scores), topK),
                    Optional.of(new Outcome(true, Optional.empty(), Retriever.millis(nanos))));
        } catch (RerankException e) {
            long nanos = System.nanoTime() - start;
            record(e.reason().wireName(), nanos);
            meters.counter(MetricNames.RERANK_FAILURES, MetricNames.TAG_REASON, e.reason().wireName()).increment();
            LOG.warn("the hits keep their fused order: {} ({})", e.getMessage(), e.reason().wireName());
            return new Reranked(first(fused, topK), Optional.of(new Outcome(false,
                    Optional.of(e.reason().wireName() + ": " + e.getMessage()), Retriever.millis(nanos))));
        }
    }

    private List<Double> scores(Reranking on, String question, List<SearchHit> fused) {
        List<String> texts = fused.stream().map(SearchHit::contextText).toList();
        CompletableFuture<List<Double>> call = CompletableFuture.supplyAsync(
                () -> on.reranker().rerank(question, texts, on.deadline()), executor);
        List<Double> scores;
        try {
            scores = call.get(on.deadline().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new RerankException(Reason.TIMEOUT, on.reranker().name() + " did not answer within "
                    + on.deadline().toMillis() + " ms (" + FaroConfig.RERANK_TIMEOUT_MS + ")");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RerankException failed) {
                throw failed;
            }
            throw new RerankException(Reason.ERROR, on.reranker().name() + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RerankException(Reason.ERROR, "interrupted while waiting for " + on.reranker().name(), e);
        }
        if (scores == null || scores.size() != texts.size() || scores.stream().anyMatch(s -> s == null || s.isNaN())) {
            throw new RerankException(Reason.MALFORMED, on.reranker().name() + " gave "
                    + (scores == null ? "no" : scores.size()) + " scores for " + texts.size() + " passages");
        }
        return scores;
    }

    /** Best score first; equal scores keep their fused order. */
    private static List<SearchHit> reordered(List<SearchHit> fused, List<Double> scores) {
        List<SearchHit> rescored = new ArrayList<>();
        IntStream.range(0, fused.size())
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores.get(i)).reversed())
                .forEach(i -> rescored.add(fused.get(i).withScore(scores.get(i))));
        return rescored;
    }

    private static List<SearchHit> first(List<SearchHit> hits, int topK) {
        return hits.size() <= topK ? hits : List.copyOf(hits.subList(0, topK));
    }

    private void record(String outcome, long nanos) {
        Timer.builder(MetricNames.RERANK_SECONDS)
                .description("One call to the reranker, by outcome")
                .tag(MetricNames.TAG_OUTCOME, outcome)
                .publishPercentileHistogram()
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
