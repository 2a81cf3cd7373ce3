package io.faro.gateway.answer;

import io.faro.core.llm.ChatClient;
import io.faro.core.llm.Completion;
import io.faro.core.llm.LlmException;
import io.faro.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;

/**
 * What generated answers cost and how the endpoints behave: tokens by model, call latency by endpoint and
 * outcome, failures by endpoint and reason, fallbacks taken. Counters are registered at zero, so a dashboard
 * shows "none yet" rather than "no data".
 */
final class LlmMetrics {

    static final String TO_NEXT_ENDPOINT = "next-endpoint";
    static final String TO_EXTRACTIVE = "extractive";

    private final MeterRegistry meters;

    LlmMetrics(MeterRegistry meters, List<ChatClient> clients) {
        this.meters = meters;
        for (ChatClient client : clients) {
            tokens(client.model(), "prompt");
            tokens(client.model(), "completion");
            for (LlmException.Reason reason : LlmException.Reason.values()) {
                failures(client.endpoint(), reason.label());
            }
        }
        fallbacks(TO_NEXT_ENDPOINT);
        fallbacks(TO_EXTRACTIVE);
    }

    void answered(ChatClient client, Completion completion, long nanos) {
        latency(client.endpoint(), "ok").record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        tokens(client.model(), "prompt").increment(completion.promptTokens());
        tokens(client.model(), "completion").increment(completion.completionTokens());
    }

    void failed(ChatClient client, LlmException.Reason reason, long nanos) {
        latency(client.endpoint(), reason.label()).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        failures(client.endpoint(), reason.label()).increment();
    }

    void fellBack(String to) {
        fallbacks(to).increment();
    }

    private Counter tokens(String model, String kind) {
        return Counter.builder(MetricNames.LLM_TOKENS).tag(MetricNames.TAG_MODEL, model)
                .tag(MetricNames.TAG_KIND, kind).register(meters);
    }

    private Counter failures(String endpoint, String reason) {
        return Counter.builder(MetricNames.LLM_FAILURES).tag(MetricNames.TAG_ENDPOINT, endpoint)
                .tag(MetricNames.TAG_REASON, reason).register(meters);
    }

    private Counter fallbacks(String to) {
        return Counter.builder(MetricNames.LLM_FALLBACKS).tag(MetricNames.TAG_TO, to).register(meters);
    }

    private Timer latency(String endpoint, String outcome) {
        return Timer.builder(MetricNames.LLM_REQUEST_SECONDS).tag(MetricNames.TAG_ENDPOINT, endpoint)
                .tag(MetricNames.TAG_OUTCOME, outcome).publishPercentileHistogram().register(meters);
    }
}
