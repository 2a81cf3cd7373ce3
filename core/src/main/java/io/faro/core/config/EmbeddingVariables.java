package io.faro.core.config;

import static io.faro.core.config.FaroConfig.DEFAULT_EMBEDDING_MODEL;
import static io.faro.core.config.FaroConfig.DEFAULT_EMBED_MAX_REQUEST_TOKENS;
import static io.faro.core.config.FaroConfig.DEFAULT_EMBED_REQUESTS_IN_FLIGHT;
import static io.faro.core.config.FaroConfig.DEFAULT_EMBED_TIMEOUT_MS;
import static io.faro.core.config.FaroConfig.EMBEDDING_API_KEY;
import static io.faro.core.config.FaroConfig.EMBEDDING_API_KEY_FILE;
import static io.faro.core.config.FaroConfig.EMBEDDING_BASE_URL;
import static io.faro.core.config.FaroConfig.EMBEDDING_DIMENSION;
import static io.faro.core.config.FaroConfig.EMBEDDING_HEADERS;
import static io.faro.core.config.FaroConfig.EMBEDDING_HEADERS_FILE;
import static io.faro.core.config.FaroConfig.EMBEDDING_MODEL;
import static io.faro.core.config.FaroConfig.EMBEDDING_PROVIDER;
import static io.faro.core.config.FaroConfig.EMBED_MAX_REQUEST_TOKENS;
import static io.faro.core.config.FaroConfig.EMBED_REQUESTS_IN_FLIGHT;
import static io.faro.core.config.FaroConfig.EMBED_REQUESTS_PER_MINUTE;
import static io.faro.core.config.FaroConfig.EMBED_TIMEOUT_MS;
import static io.faro.core.config.FaroConfig.EMBED_TOKENS_PER_MINUTE;

import io.faro.core.config.EmbeddingSettings.Hosted;
import io.faro.core.config.EmbeddingSettings.Provider;
import io.faro.core.embed.EmbeddingModelName;
import java.util.Optional;

/** Reads {@code FARO_EMBEDDING_*} and the hosted model's {@code FARO_EMBED_*} limits. */
final class EmbeddingVariables {

    private EmbeddingVariables() {
    }

    static EmbeddingSettings read(Env env) {
        if (env.choice(EMBEDDING_PROVIDER, Provider.class, Provider.ONNX) == Provider.ONNX) {
            for (String hostedOnly : new String[] {EMBEDDING_BASE_URL, EMBEDDING_DIMENSION}) {
                if (env.optional(hostedOnly).isPresent()) {
                    throw new ConfigException(hostedOnly + " is set, but " + EMBEDDING_PROVIDER
                            + " is not openai; set " + EMBEDDING_PROVIDER + "=openai to embed with a hosted model");
                }
            }
            return EmbeddingSettings.local(EmbeddingModelName.parse(
                    env.string(EMBEDDING_MODEL, DEFAULT_EMBEDDING_MODEL.id()), EMBEDDING_MODEL));
        }
        String baseUrl = LlmVariables.url(env.optional(EMBEDDING_BASE_URL).orElseThrow(() -> new ConfigException(
                EMBEDDING_PROVIDER + "=openai needs " + EMBEDDING_BASE_URL + ", e.g. https://api.openai.com/v1")),
                EMBEDDING_BASE_URL);
        String remote = env.optional(EMBEDDING_MODEL).map(String::strip).filter(m -> !m.isEmpty())
                .orElseThrow(() -> new ConfigException(EMBEDDING_PROVIDER + "=openai needs " + EMBEDDING_MODEL
                        + ", the endpoint's model, e.g. text-embedding-3-small"));
        if (EmbeddingSettings.isHosted(remote)) {
            remote = remote.substring(EmbeddingSettings.HOSTED_PREFIX.length());
        }
        if (env.optional(EMBEDDING_DIMENSION).isEmpty()) {
            throw new ConfigException(EMBEDDING_PROVIDER + "=openai needs " + EMBEDDING_DIMENSION
                    + ", the length of the model's vectors (text-embedding-3-small: 1536)");
        }
        int dimension = env.integer(EMBEDDING_DIMENSION, 0, 1, 16_000);
        Hosted hosted = new Hosted(baseUrl, remote, env.secret(EMBEDDING_API_KEY, EMBEDDING_API_KEY_FILE),
                LlmVariables.headers(env, EMBEDDING_HEADERS, EMBEDDING_HEADERS_FILE),
                env.integer(EMBED_REQUESTS_IN_FLIGHT, DEFAULT_EMBED_REQUESTS_IN_FLIGHT, 1, 256),
                env.integer(EMBED_MAX_REQUEST_TOKENS, DEFAULT_EMBED_MAX_REQUEST_TOKENS, 256, 1_000_000),
                env.integer(EMBED_REQUESTS_PER_MINUTE, 0, 0, 100_000_000),
                env.integer(EMBED_TOKENS_PER_MINUTE, 0, 0, 2_000_000_000),
                env.integer(EMBED_TIMEOUT_MS, DEFAULT_EMBED_TIMEOUT_MS, 100, 600_000));
        return new EmbeddingSettings(EmbeddingSettings.HOSTED_PREFIX + remote, dimension, Optional.of(hosted));
    }

    /** Texts per call to the model: a hosted model takes more at once, and each request counts against a limit. */
    static int defaultBatchSize(EmbeddingSettings settings) {
        return settings.hosted().isPresent() ? FaroConfig.DEFAULT_EMBED_BATCH_SIZE_HOSTED
                : FaroConfig.DEFAULT_EMBED_BATCH_SIZE;
    }
}
