package io.faro.embedders.openai;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import io.faro.core.config.EmbeddingSettings;
import io.faro.core.config.EmbeddingSettings.Hosted;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.Secret;
import io.faro.core.embed.Embedder;
import io.faro.core.embed.EmbeddingException;
import io.faro.core.llm.LlmException;
import io.faro.core.llm.LlmException.Reason;
import io.faro.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model behind an OpenAI-compatible embeddings endpoint ({@code POST /embeddings}), through LangChain4j's
 * {@link OpenAiEmbeddingModel}. A batch goes out as requests within the endpoint's limits (texts and tokens
 * per request), several at once, paced to the provider's requests and tokens per minute.
 *
 * <p>A request that fails for a passing reason (429, 5xx, a timeout, a broken connection, a garbled answer)
 * is sent again after a backoff that honours {@code Retry-After}; the ingest pipeline's requests are retried
 * until they succeed, never dead-lettered. A request the endpoint refuses as bad input (400, 413, 422) is
 * split into its texts, and only a text refused on its own is refused, with the endpoint's reason. Any other
 * refusal (401, 403, 404: a wrong key, model or URL) is no fault of the texts: it is logged and retried
 * slowly until someone mends the configuration.
 */
public final class OpenAiEmbedder implements Embedder {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiEmbedder.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);
    private static final Duration MISCONFIGURED_BACKOFF = Duration.ofSeconds(30);
    /** OpenAI takes up to 2,048 inputs in one request. */
    private static final int MAX_TEXTS_PER_REQUEST = 2_048;
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final String model;
    private final int dimension;
    private final Hosted hosted;
    private final int textsPerRequest;
    private final String endpoint;
    private final java.net.http.HttpClient http;
    private final ThreadCallHttpClient calls = new ThreadCallHttpClient();
    private final OpenAiEmbeddingModel embeddings;
    private final TokenCountEstimator tokenizer;
    private final ProviderLimits limits;
    private final Semaphore slots;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("faro-embed-", 0).factory());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter tokens;
    private final MeterRegistry meters;

    /**
     * @param textsPerRequest texts in one request at most ({@code FARO_EMBED_BATCH_SIZE})
     */
    public OpenAiEmbedder(EmbeddingSettings settings, int textsPerRequest, MeterRegistry meters) {
        this.hosted = settings.hosted().orElseThrow(() -> new IllegalArgumentException(settings.model()
                + " is not a hosted model"));
        this.model = settings.model();
        this.dimension = settings.dimension();
        this.textsPerRequest = Math.min(textsPerRequest, MAX_TEXTS_PER_REQUEST);
        URI uri = URI.create(hosted.baseUrl());
        this.endpoint = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + Optional.ofNullable(uri.getPath()).orElse("");
        this.http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(Math.min(hosted.timeoutMs(), 10_000)))
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("faro-embed-http-", 0).factory()))
                .build();
        this.embeddings = embeddingModel();
        this.tokenizer = Tokenizers.forModel(hosted.remoteModel());
        this.limits = new ProviderLimits(hosted.requestsPerMinute(), hosted.tokensPerMinute(), model, meters);
        this.slots = new Semaphore(hosted.requestsInFlight(), true);
        this.meters = meters;
        this.tokens = meters.counter(MetricNames.EMBEDDING_TOKENS, MetricNames.TAG_MODEL, model);
        // at zero from the start, so that a dashboard shows a true zero rather than nothing
        for (Reason reason : Reason.values()) {
            if (reason != Reason.CANCELLED) {
                failures(reason);
            }
        }
        meters.gauge(MetricNames.EMBEDDING_REQUESTS_IN_FLIGHT, List.of(io.micrometer.core.instrument.Tag.of(
                MetricNames.TAG_MODEL, model)), inFlight);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int batchesInFlight() {
        return hosted.requestsInFlight();
    }

    /** Embeds within {@code FARO_EMBED_TIMEOUT_MS} in all, retries included; a refused text fails the call. */
    @Override
    public List<float[]> embedAll(List<String> passages) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(hosted.timeoutMs());
        CompletableFuture<List<Outcome>> future = submit(passages, deadline);
        List<Outcome> outcomes;
        try {
            outcomes = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new EmbeddingException(model + " did not embed " + passages.size() + " texts within "
                    + hosted.timeoutMs() + " ms (" + FaroConfig.EMBED_TIMEOUT_MS + ")", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new EmbeddingException("interrupted while embedding with " + model, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof EmbeddingException embedding ? embedding
                    : new EmbeddingException(model + ": " + e.getCause().getMessage(), e.getCause());
        }
        List<float[]> vectors = new ArrayList<>(outcomes.size());
        for (Outcome outcome : outcomes) {
            if (outcome.isRefused()) {
                throw new EmbeddingException(model + " refused a text: " + outcome.refusal(), null);
            }
            vectors.add(outcome.vector());
        }
        return vectors;
    }

    @Override
    public float[] embedQuery(String query) {
        return embedAll(List.of(query)).getFirst();
    }

    /** Embeds for the ingest pipeline: retried until every text has a vector or a refusal of its own. */
    @Override
    public CompletableFuture<List<Outcome>> embedAsync(List<String> passages) {
        return submit(passages, NO_DEADLINE);
    }

    private CompletableFuture<List<Outcome>> submit(List<String> passages, long deadline) {
        if (passages.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        // counting tokens and sending happen off the caller's thread, which in the pipeline is a stream thread
        AtomicBoolean cancelled = new AtomicBoolean();
        CompletableFuture<List<Outcome>> batch = CompletableFuture.supplyAsync(() -> {
            List<CompletableFuture<List<Outcome>>> parts = new ArrayList<>();
            for (List<Text> request : requests(passages)) {
                parts.add(CompletableFuture.supplyAsync(() -> send(request, deadline, cancelled), threads));
            }
            return parts.stream().flatMap(part -> part.join().stream()).toList();
        }, threads);
        // a caller that gives up (a task that moved to another instance) stops the retries too
        batch.whenComplete((outcomes, failure) -> cancelled.set(failure instanceof CancellationException));
        return batch;
    }

    private record Text(String text, int tokens) {
    }

    /** Consecutive texts in requests of at most {@code textsPerRequest} texts and the token limits. */
    private List<List<Text>> requests(List<String> passages) {
        long maxTokens = Math.min(hosted.maxRequestTokens(), limits.maxTokensPerRequest());
        List<List<Text>> requests = new ArrayList<>();
        List<Text> current = new ArrayList<>();
        long currentTokens = 0;
        for (String passage : passages) {
            int count = Math.max(1, tokenizer.estimateTokenCountInText(passage));
            if (!current.isEmpty() && (current.size() >= textsPerRequest || currentTokens + count > maxTokens)) {
                requests.add(current);
                current = new ArrayList<>();
                currentTokens = 0;
            }
            current.add(new Text(passage, count));
            currentTokens += count;
        }
        requests.add(current);
        return requests;
    }

    /** Sends one request until it succeeds, or its texts are refused, or the deadline passes. */
    private List<Outcome> send(List<Text> request, long deadline, AtomicBoolean cancelled) {
        for (int attempt = 0; ; attempt++) {
            if (cancelled.get()) {
                throw new CancellationException("embedding with " + model + " was cancelled");
            }
            LlmException failure;
            try {
                return call(request, deadline).stream().map(Outcome::of).toList();
            } catch (LlmException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("embedding with " + model + " was cancelled");
            }
            OptionalInt status = CallFailures.status(failure);
            if (status.isPresent() && refusesInput(status.getAsInt())) {
                String reason = CallFailures.endpointMessage(failure).map(m -> "HTTP " + status.getAsInt() + ": " + m)
                        .orElse("HTTP " + status.getAsInt());
                if (request.size() == 1) {
                    return List.of(Outcome.refused(model + " refused the text: " + reason));
                }
                LOG.info("{} refused a request of {} texts ({}); sending them one by one", model, request.size(), reason);
                List<CompletableFuture<List<Outcome>>> alone = request.stream()
                        .map(text -> CompletableFuture.supplyAsync(() -> send(List.of(text), deadline, cancelled), threads))
                        .toList();
                return alone.stream().flatMap(part -> part.join().stream()).toList();
            }
            boolean misconfigured = failure.reason() == Reason.CLIENT_ERROR;
            Duration wait = misconfigured ? MISCONFIGURED_BACKOFF : backoff(attempt, failure.retryAfter());
            if (deadline != NO_DEADLINE && System.nanoTime() + wait.toNanos() > deadline) {
                throw new EmbeddingException(failure.getMessage(), failure);
            }
            if (misconfigured) {
                LOG.error("{} refuses FARO's requests ({}); check {}, {}, {} and the key; retrying in {} s", model,
                        CallFailures.endpointMessage(failure).orElse(failure.getMessage()),
                        FaroConfig.EMBEDDING_BASE_URL, FaroConfig.EMBEDDING_MODEL, FaroConfig.EMBEDDING_DIMENSION,
                        wait.toSeconds());
            } else if (attempt == 0 || attempt % 10 == 9) {
                LOG.warn("{} failed ({}, attempt {}); retrying in {} ms", model, failure.getMessage(), attempt + 1,
                        wait.toMillis());
            }
            pause(wait, cancelled);
        }
    }

    /** Waits before the next attempt, in short steps, so that a cancelled batch stops soon. */
    private void pause(Duration wait, AtomicBoolean cancelled) {
        long end = System.nanoTime() + wait.toNanos();
        try {
            for (long left = wait.toNanos(); left > 0 && !cancelled.get(); left = end - System.nanoTime()) {
                Thread.sleep(Duration.ofNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("embedding with " + model + " was cancelled");
        }
    }

    /** Bad input: the request's texts, not the endpoint or FARO's configuration. */
    private static boolean refusesInput(int status) {
        return status == 400 || status == 413 || status == 422;
    }

    /** Exponential with full jitter, or what the endpoint asked for. */
    private static Duration backoff(int attempt, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return retryAfter.get().compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : retryAfter.get();
        }
        long cap = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt, 10));
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }

    private List<float[]> call(List<Text> request, long deadline) throws InterruptedException {
        int requestTokens = request.stream().mapToInt(Text::tokens).sum();
        slots.acquire();
        try {
            limits.await(requestTokens);
            inFlight.incrementAndGet();
            long start = System.nanoTime();
            long callDeadline = Math.min(deadline, start + TimeUnit.MILLISECONDS.toNanos(hosted.timeoutMs()));
            CallHttpClient call = new CallHttpClient(http, callDeadline);
            try {
                List<TextSegment> segments = request.stream().map(text -> TextSegment.from(text.text())).toList();
                Response<List<Embedding>> response = calls.within(call, () -> embeddings.embedAll(segments));
                List<float[]> vectors = vectors(response, request.size());
                TokenUsage usage = response.tokenUsage();
                tokens.increment(usage != null && usage.inputTokenCount() != null ? usage.inputTokenCount()
                        : requestTokens);
                requestTimer("ok").record(Duration.ofNanos(System.nanoTime() - start));
                return vectors;
            } catch (RuntimeException e) {
                call.cancel();
                LlmException failure = CallFailures.classify(endpoint, e);
                requestTimer(failure.reason().label()).record(Duration.ofNanos(System.nanoTime() - start));
                failures(failure.reason()).increment();
                throw failure;
            } finally {
                inFlight.decrementAndGet();
            }
        } finally {
            slots.release();
        }
    }

    private Counter failures(Reason reason) {
        return meters.counter(MetricNames.EMBEDDING_FAILURES, MetricNames.TAG_MODEL, model, MetricNames.TAG_ENDPOINT,
                endpoint, MetricNames.TAG_REASON, reason.label());
    }

    private Timer requestTimer(String outcome) {
        return Timer.builder(MetricNames.EMBEDDING_REQUEST_SECONDS).tag(MetricNames.TAG_MODEL, model)
                .tag(MetricNames.TAG_ENDPOINT, endpoint).tag(MetricNames.TAG_OUTCOME, outcome)
                .publishPercentileHistogram().register(meters);
    }

    /** The model every request goes through, each on its own call's HTTP client and deadline. */
    private OpenAiEmbeddingModel embeddingModel() {
        return OpenAiEmbeddingModel.builder()
                .httpClientBuilder(calls.builder())
                .baseUrl(hosted.baseUrl())
                .apiKey(hosted.apiKey().map(Secret::reveal).orElse(null))
                .modelName(hosted.remoteModel())
                .dimensions(hosted.asksForDimension() ? dimension : null)
                .customHeaders(headers())
                // requests are already cut to the API's limits; LangChain4j must not cut them again
                .maxSegmentsPerBatch(MAX_TEXTS_PER_REQUEST)
                .maxRetries(0)
                .build();
    }

    private Map<String, String> headers() {
        return hosted.headers().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> entry.getValue().reveal()));
    }

    /** The vectors, checked: one per text, each of the configured dimension. */
    private List<float[]> vectors(Response<List<Embedding>> response, int texts) {
        List<Embedding> embeddings = response.content();
        if (embeddings == null || embeddings.size() != texts) {
            throw new LlmException(Reason.BAD_RESPONSE, endpoint + " answered " + (embeddings == null ? 0
                    : embeddings.size()) + " vectors for " + texts + " texts");
        }
        List<float[]> vectors = new ArrayList<>(texts);
        for (Embedding embedding : embeddings) {
            if (embedding.dimension() != dimension) {
                throw new LlmException(Reason.CLIENT_ERROR, endpoint + " answered vectors of dimension "
                        + embedding.dimension() + ", but " + FaroConfig.EMBEDDING_DIMENSION + "=" + dimension);
            }
            vectors.add(embedding.vector());
        }
        return vectors;
    }

    @Override
    public String toString() {
        return model + "@" + endpoint;
    }
}
