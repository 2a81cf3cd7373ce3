package io.faro.core.llm;

/** A model's answer and the tokens it cost, as the endpoint reported them (0 when it did not). */
public record Completion(String text, String model, int promptTokens, int completionTokens) {
}
