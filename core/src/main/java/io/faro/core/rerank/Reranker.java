package io.faro.core.rerank;

import java.time.Duration;
import java.util.List;

/**
 * Scores passages against a question more closely than retrieval can: a cross-encoder reads the question and each
 * passage together, where dense search compares two vectors made apart and keyword search counts words. The
 * gateway asks it to reorder the first fused hits of a search; when it fails or misses the deadline, the fused
 * order stands. Implementations live in the embedders module (an HTTP {@code /rerank} endpoint, or a local ONNX
 * cross-encoder).
 */
public interface Reranker extends AutoCloseable {

    /** Names the reranker in logs and answers: the endpoint's host and model, or the model file. Never a secret. */
    String name();

    /**
     * One relevance score for each text, in the order of {@code texts}; higher is more relevant.
     *
     * @param deadline how long the caller waits; an implementation that can stop its work then should
     * @throws RerankException when the reranker fails, answers something else than a score for each text, or does
     *                         not answer within the deadline
     */
    List<Double> rerank(String query, List<String> texts, Duration deadline);

    @Override
    default void close() {
    }
}
