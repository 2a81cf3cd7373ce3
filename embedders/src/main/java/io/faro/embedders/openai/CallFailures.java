package io.faro.embedders.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.exception.HttpException;
import io.faro.core.json.Json;
import io.faro.core.llm.LlmException;
import io.faro.core.llm.LlmException.Reason;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** What went wrong in a call to an OpenAI-compatible endpoint, as FARO names it. */
final class CallFailures {

    private static final int MAX_MESSAGE = 300;

    private CallFailures() {
    }

    /** The failure as a reason and a message that never holds a header or the key (only status and reason). */
    static LlmException classify(String endpoint, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof LlmException llm) {
                return llm;
            }
            if (t instanceof CallHttpClient.StatusException status) {
                return statusFailure(endpoint, status.statusCode(), status.retryAfter(), status);
            }
            if (t instanceof CallHttpClient.CallFailure failure) {
                return new LlmException(failure.reason(), endpoint + ": " + failure.getMessage(), Optional.empty(),
                        failure);
            }
            if (t instanceof HttpException http) {
                return statusFailure(endpoint, http.statusCode(), Optional.empty(), http);
            }
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
                return new LlmException(Reason.BAD_RESPONSE, endpoint + ": the answer is not valid JSON",
                        Optional.empty(), json);
            }
        }
        return new LlmException(Reason.BAD_RESPONSE, endpoint + ": the answer could not be read ("
                + error.getClass().getSimpleName() + ")", Optional.empty(), error);
    }

    /** The HTTP status of a refused call, if it was refused over HTTP. */
    static OptionalInt status(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpException http) {
                return OptionalInt.of(http.statusCode());
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The reason the endpoint gave in its error body ({@code {"error": {"message": ...}}}, as OpenAI sends it),
     * shortened; the endpoint's words, never FARO's request.
     */
    static Optional<String> endpointMessage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpException http && http.getMessage() != null) {
                try {
                    JsonNode message = Json.mapper().readTree(http.getMessage()).path("error").path("message");
                    if (message.isTextual() && !message.asText().isBlank()) {
                        String text = message.asText().strip();
                        return Optional.of(text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...");
                    }
                } catch (java.io.IOException | RuntimeException notJson) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static LlmException statusFailure(String endpoint, int status, Optional<Duration> retryAfter,
                                              Throwable cause) {
        Reason reason = status == 429 ? Reason.RATE_LIMITED
                : status == 408 ? Reason.TIMEOUT
                : status >= 500 ? Reason.SERVER_ERROR : Reason.CLIENT_ERROR;
        return new LlmException(reason, endpoint + " answered HTTP " + status, retryAfter, cause);
    }
}
