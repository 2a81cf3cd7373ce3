package io.faro.embedders.rerank;

import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.scoring.onnx.OnnxScoringModel;
import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.RerankOnnxFiles;
import io.faro.core.rerank.RerankException;
import io.faro.core.rerank.RerankException.Reason;
import io.faro.core.rerank.Reranker;
import java.time.Duration;
import java.util.List;

/**
 * A cross-encoder run in this process by ONNX Runtime (LangChain4j's {@link OnnxScoringModel}), from the model and
 * tokenizer files the operator points FARO at (an ms-marco MiniLM or a BGE reranker exported to ONNX, say). Its
 * logits go through a sigmoid, so scores lie between 0 and 1. Inference cannot be stopped half-way: the gateway
 * stops waiting at the deadline, and the model finishes the batch on its own.
 */
public final class OnnxReranker implements Reranker {

    /** The longest question and passage pair the model reads, in tokens (BERT's 512 less the two separators). */
    static final int MAX_TOKENS = 510;

    private final OnnxScoringModel model;
    private final String name;

    private OnnxReranker(OnnxScoringModel model, String name) {
        this.model = model;
        this.name = name;
    }

    /** Loads the model now, so that a file that is not a cross-encoder fails at start-up, naming the variables. */
    public static OnnxReranker load(RerankOnnxFiles files) {
        try {
            OnnxScoringModel model = new OnnxScoringModel(files.model().toString(), new OrtSession.SessionOptions(),
                    files.tokenizer().toString(), MAX_TOKENS, true);
            return new OnnxReranker(model, "ONNX reranker " + files.model().getFileName());
        } catch (RuntimeException e) {
            throw new ConfigException(FaroConfig.RERANK_ONNX_MODEL + "=" + files.model() + " with "
                    + FaroConfig.RERANK_ONNX_TOKENIZER + "=" + files.tokenizer()
                    + " cannot be loaded as a cross-encoder: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Double> rerank(String query, List<String> texts, Duration deadline) {
        try {
            return model.scoreAll(texts.stream().map(TextSegment::from).toList(), query).content();
        } catch (RuntimeException e) {
            throw new RerankException(Reason.ERROR, name + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
