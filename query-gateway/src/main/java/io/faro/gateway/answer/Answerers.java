package io.faro.gateway.answer;

import io.faro.core.config.FaroConfig.LlmSettings;
import io.faro.core.llm.ChatClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Turns configuration into the answerer: generated answers when an LLM is configured, extractive otherwise. */
public final class Answerers {

    private Answerers() {
    }

    /** {@code clients} opens one chat client per endpoint (the OpenAI-compatible client of the embedders module). */
    public static Answerer create(Optional<LlmSettings> llm, Function<LlmSettings, List<ChatClient>> clients,
                                  MeterRegistry meters) {
        ExtractiveAnswerer extractive = new ExtractiveAnswerer();
        return llm.<Answerer>map(settings -> new LlmAnswerer(clients.apply(settings), settings, extractive, meters))
                .orElse(extractive);
    }
}
