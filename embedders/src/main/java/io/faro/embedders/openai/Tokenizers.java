package io.faro.embedders.openai;

import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.openai.OpenAiTokenCountEstimator;

/** Counts tokens as OpenAI's models do, to keep a prompt or a request within its limits. */
final class Tokenizers {

    /** A tokenizer for models tiktoken does not know (Llama, Mistral, nomic, ...): close enough for a budget. */
    private static final String FALLBACK_TOKENIZER_MODEL = "gpt-4o";

    private Tokenizers() {
    }

    /** The model's own tokenizer, or a close one when tiktoken does not know the model. */
    static TokenCountEstimator forModel(String model) {
        String bare = model.contains("/") ? model.substring(model.lastIndexOf('/') + 1) : model;
        try {
            TokenCountEstimator estimator = new OpenAiTokenCountEstimator(bare);
            estimator.estimateTokenCountInText("probe");
            return estimator;
        } catch (RuntimeException unknownModel) {
            return new OpenAiTokenCountEstimator(FALLBACK_TOKENIZER_MODEL);
        }
    }
}
