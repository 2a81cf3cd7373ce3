package io.faro.embedders.rerank;

import io.faro.core.config.FaroConfig.RerankEndpoint;
import io.faro.core.config.FaroConfig.RerankOnnxFiles;
import io.faro.core.config.FaroConfig.RerankSettings;
import io.faro.core.rerank.Reranker;

/** Turns the reranker's settings into the reranker: the one place it is chosen. */
public final class Rerankers {

    private Rerankers() {
    }

    public static Reranker create(RerankSettings settings) {
        return switch (settings.model()) {
            case RerankEndpoint endpoint -> HttpReranker.create(endpoint);
            case RerankOnnxFiles files -> OnnxReranker.load(files);
        };
    }
}
