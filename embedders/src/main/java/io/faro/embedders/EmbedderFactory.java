package io.faro.embedders;

import io.faro.core.config.ConfigException;
import io.faro.core.config.EmbeddingSettings;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.embed.EmbeddingModelName;
import io.faro.core.embed.Embedders;
import io.faro.embedders.onnx.OnnxEmbedder;
import io.faro.embedders.openai.OpenAiEmbedder;
import io.micrometer.core.instrument.MeterRegistry;

/** Turns a model name into the embedding model that makes its vectors: the one place models are chosen. */
public final class EmbedderFactory {

    private EmbedderFactory() {
    }

    /** The embedder of one of FARO's in-process models, loaded now. */
    public static Embedder create(EmbeddingModelName model) {
        return OnnxEmbedder.create(model);
    }

    /**
     * The embedder of a model by its name: one of the in-process models, or the hosted model the settings
     * describe. A hosted model the settings do not describe cannot be called, and the error says what to set.
     */
    public static Embedder create(String model, FaroConfig config, MeterRegistry meters) {
        EmbeddingSettings settings = config.embedding();
        if (settings.hosted().isPresent() && settings.model().equals(model)) {
            return new OpenAiEmbedder(settings, config.embedBatchSize(), meters);
        }
        if (EmbeddingSettings.isHosted(model)) {
            throw new ConfigException("the hosted model " + model + " is not configured here; set "
                    + FaroConfig.EMBEDDING_PROVIDER + "=openai, " + FaroConfig.EMBEDDING_MODEL + "="
                    + model.substring(EmbeddingSettings.HOSTED_PREFIX.length()) + ", " + FaroConfig.EMBEDDING_BASE_URL
                    + " and " + FaroConfig.EMBEDDING_DIMENSION);
        }
        return create(EmbeddingModelName.parse(model, "model"));
    }

    /** Every model this process may need, each made on first use. */
    public static Embedders embedders(FaroConfig config, MeterRegistry meters) {
        return new Embedders(model -> create(model, config, meters), model -> dimensionOf(model, config.embedding()));
    }

    private static int dimensionOf(String model, EmbeddingSettings settings) {
        return settings.model().equals(model) ? settings.dimension() : EmbeddingModelName.parse(model, "model").dimension();
    }
}
