package io.faro.cli.component;

import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.embedders.EmbedderFactory;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Where a process's embedding models come from: {@link #CONFIGURED}, the models the settings name, everywhere
 * FARO runs. {@code faro bench ceiling} passes models that cost nothing, to measure what surrounds the model.
 */
@FunctionalInterface
public interface EmbeddingModels {

    /** The models the settings name ({@link EmbedderFactory}). */
    EmbeddingModels CONFIGURED = EmbedderFactory::embedders;

    Embedders open(FaroConfig config, MeterRegistry meters);
}
