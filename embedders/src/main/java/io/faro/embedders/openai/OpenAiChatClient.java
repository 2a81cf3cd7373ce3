package io.faro.embedders.openai;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.TokenUsage;
import io.faro.core.config.FaroConfig.LlmEndpoint;
import io.faro.core.config.Secret;
import io.faro.core.llm.ChatClient;
import io.faro.core.llm.ChatPrompt;
import io.faro.core.llm.Completion;
import io.faro.core.llm.LlmException;
import io.faro.core.llm.LlmException.Reason;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One OpenAI-compatible endpoint through LangChain4j's {@link OpenAiChatModel} and
 * {@link OpenAiStreamingChatModel}, built once. Each call opens its own {@link CallHttpClient}, which holds the
 * call's deadline and can cancel it; the models send through it ({@link ThreadCallHttpClient}).
 * LangChain4j's own retries are off: the caller retries, across endpoints, under one deadline.
 */
public final class OpenAiChatClient implements ChatClient {

    private final LlmEndpoint endpoint;
    private final java.net.http.HttpClient http;
    private final TokenCountEstimator tokens;
    private final String name;
    /** OpenAI's newer models refuse {@code max_tokens}; most other servers know only that one. */
    private final boolean usesCompletionTokens;
    private final ThreadCallHttpClient calls = new ThreadCallHttpClient();
    private final OpenAiChatModel model;
    private final OpenAiStreamingChatModel streamingModel;

    OpenAiChatClient(LlmEndpoint endpoint, java.net.http.HttpClient http) {
        this.endpoint = endpoint;
        this.http = http;
        this.tokens = Tokenizers.forModel(endpoint.model());
        URI uri = URI.create(endpoint.baseUrl());
        this.name = endpoint.model() + "@" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + Optional.ofNullable(uri.getPath()).orElse("");
        this.usesCompletionTokens = "api.openai.com".equals(uri.getHost());
        String apiKey = endpoint.apiKey().map(Secret::reveal).orElse(null);
        this.model = OpenAiChatModel.builder()
                .httpClientBuilder(calls.builder())
                .baseUrl(endpoint.baseUrl())
                .apiKey(apiKey)
                .modelName(endpoint.model())
                .customHeaders(headers())
                .maxRetries(0)
                .build();
        this.streamingModel = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(calls.builder())
                .baseUrl(endpoint.baseUrl())
                .apiKey(apiKey)
                .modelName(endpoint.model())
                .customHeaders(headers())
                .build();
    }

    @Override
    public String endpoint() {
        return name;
    }

    @Override
    public String model() {
        return endpoint.model();
    }

    @Override
    public int countTokens(String text) {
        return tokens.estimateTokenCountInText(text);
    }

    @Override
    public Completion complete(ChatPrompt prompt, Duration timeout) {
        CallHttpClient call = new CallHttpClient(http, System.nanoTime() + timeout.toNanos());
        try {
            return completion(calls.within(call, () -> model.chat(request(prompt))));
        } catch (RuntimeException e) {
            throw classify(e);
        }
    }

    @Override
    public Completion stream(ChatPrompt prompt, Duration timeout, Consumer<String> deltas) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CallHttpClient call = new CallHttpClient(http, deadline);
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        try {
            StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partial) {
                    events.add(new Delta(partial));
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    events.add(response);
                }

                @Override
                public void onError(Throwable error) {
                    events.add(error);
                }
            };
            // the request goes out on this thread; what comes back arrives on the call's reader thread
            calls.within(call, () -> {
                streamingModel.chat(request(prompt), handler);
                return null;
            });
            // Deltas go out on the caller's thread, so a caller that went away is seen here and the call cancelled.
            while (true) {
                Object event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                switch (event) {
                    case null -> {
                        call.cancel();
                        throw new LlmException(Reason.TIMEOUT, "no complete answer within " + timeout.toMillis() + " ms");
                    }
                    case Delta delta -> deliver(delta.text(), deltas, call);
                    case ChatResponse response -> {
                        return completion(response);
                    }
                    case Throwable error -> throw classify(error);
                    default -> throw new IllegalStateException("unexpected event " + event);
                }
            }
        } catch (InterruptedException e) {
            call.cancel();
            Thread.currentThread().interrupt();
            throw new LlmException(Reason.CANCELLED, "interrupted while streaming from " + name);
        } catch (LlmException e) {
            throw e;
        } catch (RuntimeException e) {
            call.cancel();
            throw classify(e);
        }
    }

    private record Delta(String text) {
    }

    private void deliver(String text, Consumer<String> deltas, CallHttpClient call) {
        try {
            deltas.accept(text);
        } catch (RuntimeException e) {
            call.cancel();
            throw new LlmException(Reason.CANCELLED, "the caller went away; the stream from " + name + " was cancelled",
                    Optional.empty(), e);
        }
    }

    private ChatRequest request(ChatPrompt prompt) {
        OpenAiChatRequestParameters.Builder parameters = OpenAiChatRequestParameters.builder();
        parameters = usesCompletionTokens ? parameters.maxCompletionTokens(prompt.maxAnswerTokens())
                : parameters.maxOutputTokens(prompt.maxAnswerTokens());
        return ChatRequest.builder().messages(List.of(SystemMessage.from(prompt.system()), UserMessage.from(prompt.user())))
                .parameters(parameters.build())
                .build();
    }

    private Completion completion(ChatResponse response) {
        TokenUsage usage = response.tokenUsage();
        int in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        String text = response.aiMessage() == null || response.aiMessage().text() == null ? "" : response.aiMessage().text();
        return new Completion(text, response.modelName() == null ? endpoint.model() : response.modelName(), in, out);
    }

    private Map<String, String> headers() {
        return endpoint.headers().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> entry.getValue().reveal()));
    }


    private LlmException classify(Throwable error) {
        return CallFailures.classify(name, error);
    }
}
