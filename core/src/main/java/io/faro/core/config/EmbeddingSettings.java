package io.faro.core.config;

import io.faro.core.embed.EmbeddingModelName;
import java.util.Map;
import java.util.Optional;

/**
 * Which model embeds passages and questions: one of the models FARO runs in-process (the default), or a
 * model behind an OpenAI-compatible embeddings endpoint ({@code FARO_EMBEDDING_PROVIDER=openai}).
 *
 * @param model     the name written on every embedding record and store: an in-process model's name, or
 *                  {@code openai:<remote model>} for a hosted one
 * @param dimension the length of its vectors
 * @param hosted    the endpoint, when the model is hosted
 */
public record EmbeddingSettings(String model, int dimension, Optional<Hosted> hosted) {

    /** Prefix of a hosted model's name, so that it never passes for one of the in-process models. */
    public static final String HOSTED_PREFIX = "openai:";

    /** Who embeds. */
    public enum Provider { ONNX, OPENAI }

    /**
     * An OpenAI-compatible embeddings endpoint and the limits FARO keeps to when it calls it.
     *
     * @param baseUrl           e.g. {@code https://api.openai.com/v1}
     * @param remoteModel       the model as the endpoint names it, e.g. {@code text-embedding-3-small}
     * @param apiKey            sent as a bearer token, when set
     * @param headers           extra headers (Portkey's {@code x-portkey-*}); values may be secrets
     * @param requestsInFlight  requests sent at once, by this process
     * @param maxRequestTokens  tokens in one request at most (OpenAI takes up to 300,000)
     * @param requestsPerMinute the provider's limit for this process, or 0 for none
     * @param tokensPerMinute   the provider's limit for this process, or 0 for none
     * @param timeoutMs         one request's deadline
     */
    public record Hosted(String baseUrl, String remoteModel, Optional<Secret> apiKey, Map<String, Secret> headers,
                         int requestsInFlight, int maxRequestTokens, int requestsPerMinute, int tokensPerMinute,
                         int timeoutMs) {

        /** OpenAI's newer models shorten their vectors to the dimension asked for; other models refuse the field. */
        public boolean asksForDimension() {
            return remoteModel.startsWith("text-embedding-3");
        }
    }

    /** One of the in-process models. */
    public static EmbeddingSettings local(EmbeddingModelName model) {
        return new EmbeddingSettings(model.id(), model.dimension(), Optional.empty());
    }

    public Provider provider() {
        return hosted.isPresent() ? Provider.OPENAI : Provider.ONNX;
    }

    /** Whether {@code model} names a hosted model (whichever endpoint serves it). */
    public static boolean isHosted(String model) {
        return model.startsWith(HOSTED_PREFIX);
    }

    /** The in-process model; a hosted one has none. */
    public EmbeddingModelName localModel() {
        if (hosted.isPresent()) {
            throw new ConfigException("this needs one of FARO's in-process models, but " + FaroConfig.EMBEDDING_PROVIDER
                    + "=openai; unset it to use " + FaroConfig.DEFAULT_EMBEDDING_MODEL.id());
        }
        return EmbeddingModelName.parse(model, FaroConfig.EMBEDDING_MODEL);
    }
}
