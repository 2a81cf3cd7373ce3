package io.faro.gateway.answer;

import io.faro.core.config.FaroConfig.LlmSettings;
import io.faro.core.llm.ChatClient;
import io.faro.core.llm.Completion;
import io.faro.core.llm.LlmException;
import io.faro.core.model.SearchHit;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generated, cited answers from OpenAI-compatible endpoints, tried in order. On one endpoint a 429, 5xx,
 * timeout or broken connection is tried again, at most {@code maxRetries} times, after the {@code Retry-After}
 * the endpoint asked for or an exponential backoff; any other failure, or the retries used up, moves to the
 * next endpoint. One deadline bounds it all. When no endpoint answers, the answer is extractive and says why.
 * Once part of a streamed answer has gone out, it is not asked again (the reader would see it twice).
 *
 * <p>The retry loop is FARO's own, not Helidon's {@code Retry} or LangChain4j's: neither lets the wait
 * depend on the failure, so neither can honour {@code Retry-After}.
 */
public final class LlmAnswerer implements Answerer {

    private static final Logger LOG = LoggerFactory.getLogger(LlmAnswerer.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(4);

    private final List<ChatClient> clients;
    private final LlmSettings settings;
    private final Answerer fallback;
    private final LlmMetrics metrics;

    public LlmAnswerer(List<ChatClient> clients, LlmSettings settings, Answerer fallback, MeterRegistry meters) {
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("an LLM answerer needs at least one endpoint");
        }
        this.clients = List.copyOf(clients);
        this.settings = settings;
        this.fallback = fallback;
        this.metrics = new LlmMetrics(meters, this.clients);
    }

    @Override
    public Answer answer(String question, List<SearchHit> hits) {
        return answer(question, hits, Optional.empty());
    }

    @Override
    public Answer answer(String question, List<SearchHit> hits, Consumer<String> deltas) {
        return answer(question, hits, Optional.of(deltas));
    }

    private Answer answer(String question, List<SearchHit> hits, Optional<Consumer<String>> deltas) {
        if (hits.isEmpty()) {
            // Nothing to ground an answer in: saying so costs no tokens.
            Answer none = fallback.answer(question, hits);
            deltas.ifPresent(d -> d.accept(none.text()));
            return none;
        }
        long start = System.nanoTime();
        long deadline = start + Duration.ofMillis(settings.timeoutMs()).toNanos();
        AnswerPrompt prompt = AnswerPrompt.build(question, hits, clients.getFirst()::countTokens,
                settings.maxContextTokens(), settings.maxAnswerTokens());
        AtomicBoolean streamed = new AtomicBoolean();
        Optional<Consumer<String>> tracked = deltas.map(d -> text -> {
            streamed.set(true);
            d.accept(text);
        });
        List<String> failures = new ArrayList<>();
        int attempts = 0;
        for (int e = 0; e < clients.size(); e++) {
            ChatClient client = clients.get(e);
            if (e > 0) {
                metrics.fellBack(LlmMetrics.TO_NEXT_ENDPOINT);
            }
            for (int retry = 0; retry <= settings.maxRetries(); retry++) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return extractive(question, hits, deadlineError(failures, attempts, e + 1));
                }
                attempts++;
                long callStart = System.nanoTime();
                try {
                    Completion completion = tracked.isPresent()
                            ? client.stream(prompt.prompt(), Duration.ofNanos(left), tracked.get())
                            : client.complete(prompt.prompt(), Duration.ofNanos(left));
                    metrics.answered(client, completion, System.nanoTime() - callStart);
                    return generated(client, completion, hits, prompt.sources(), attempts, start);
                } catch (LlmException failure) {
                    metrics.failed(client, failure.reason(), System.nanoTime() - callStart);
                    failures.add(failure.getMessage());
                    LOG.warn("LLM call {} failed ({}): {}", attempts, failure.reason().label(), failure.getMessage());
                    if (failure.reason() == LlmException.Reason.CANCELLED) {
                        // the client went away: nobody reads this answer, and the LLM did not fail
                        return fallback.answer(question, hits).withLlmError(failure.getMessage());
                    }
                    if (streamed.get()) {
                        return extractive(question, hits, failure.getMessage());
                    }
                    if (!failure.reason().isTransient() || retry == settings.maxRetries()) {
                        break;
                    }
                    Duration wait = failure.retryAfter().orElse(backoff(retry));
                    if (System.nanoTime() + wait.toNanos() >= deadline) {
                        break; // the next endpoint may answer sooner than this one allows
                    }
                    if (!pause(wait)) {
                        return extractive(question, hits, "interrupted while waiting to retry");
                    }
                }
            }
        }
        if (System.nanoTime() >= deadline) {
            return extractive(question, hits, deadlineError(failures, attempts, clients.size()));
        }
        return extractive(question, hits, "every LLM endpoint failed (" + attempts + " attempts on "
                + endpoints(clients.size()) + "): " + String.join("; ", failures));
    }

    private Answer generated(ChatClient client, Completion completion, List<SearchHit> hits, int sources,
                             int attempts, long start) {
        Citations citations = Citations.of(completion.text(), hits, sources);
        return new Answer(citations.text(), false, citations.citations(), Optional.empty(),
                Optional.of(new Generation(client.endpoint(), completion.model(), completion.promptTokens(),
                        completion.completionTokens(), attempts, (System.nanoTime() - start) / 1e6)));
    }

    private Answer extractive(String question, List<SearchHit> hits, String why) {
        metrics.fellBack(LlmMetrics.TO_EXTRACTIVE);
        return fallback.answer(question, hits).withLlmError(why);
    }

    private String deadlineError(List<String> failures, int attempts, int endpoints) {
        return "no answer within the " + settings.timeoutMs() + " ms deadline (" + attempts + " attempts on "
                + endpoints(endpoints) + ")"
                + (failures.isEmpty() ? "" : ": " + String.join("; ", failures));
    }

    private static String endpoints(int count) {
        return count + (count == 1 ? " endpoint" : " endpoints");
    }

    private static Duration backoff(int retry) {
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(retry, 10));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
