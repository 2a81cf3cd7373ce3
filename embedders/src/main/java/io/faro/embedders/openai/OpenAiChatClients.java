package io.faro.embedders.openai;

import io.faro.core.config.FaroConfig.LlmSettings;
import io.faro.core.llm.ChatClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/** Turns {@code FARO_LLM_*} settings into one chat client per endpoint, in the order they are tried. */
public final class OpenAiChatClients {

    private OpenAiChatClients() {
    }

    public static List<ChatClient> create(LlmSettings settings) {
        // HTTP/1.1: a cancelled stream then closes its connection, which every OpenAI-compatible server notices.
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(Math.min(settings.timeoutMs(), 10_000)))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return settings.endpoints().stream().<ChatClient>map(endpoint -> new OpenAiChatClient(endpoint, http)).toList();
    }
}
