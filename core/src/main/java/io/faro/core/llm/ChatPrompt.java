package io.faro.core.llm;

/** A system message, a user message, and the most tokens the answer may take. */
public record ChatPrompt(String system, String user, int maxAnswerTokens) {
}
