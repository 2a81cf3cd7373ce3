package io.faro.core.llm;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * One chat endpoint that speaks the OpenAI chat-completions protocol (OpenAI, Portkey, vLLM, Ollama, ...).
 * One call, one attempt: retries and fallbacks belong to the caller, which holds the deadline. A failure is
 * an {@link LlmException} saying why and whether trying again may help.
 */
public interface ChatClient {

    /** Names the endpoint in metrics and logs (host and path of its base URL); never a key or a header. */
    String endpoint();

    String model();

    /** Tokens the text takes in this model's tokenizer (an estimate when the model's tokenizer is unknown). */
    int countTokens(String text);

    /** The whole answer, within {@code timeout}. */
    Completion complete(ChatPrompt prompt, Duration timeout);

    /**
     * The answer streamed: each piece of text goes to {@code deltas} on the calling thread as it arrives, and the
     * whole answer is returned at the end, within {@code timeout}. When {@code deltas} throws (the caller went
     * away), the upstream request is cancelled and the call fails with {@link LlmException.Reason#CANCELLED}.
     */
    Completion stream(ChatPrompt prompt, Duration timeout, Consumer<String> deltas);
}
