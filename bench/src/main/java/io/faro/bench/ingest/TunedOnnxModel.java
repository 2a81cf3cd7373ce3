package io.faro.bench.ingest;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import io.faro.core.embed.EmbeddingModelName;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One of FARO's models exactly as LangChain4j packs it (the same ONNX file, tokenizer and pooling),
 * but with a chosen thread setting: how many texts are embedded at once ({@code embedThreads}, the
 * executor LangChain4j spreads a batch over) and how many threads the ONNX runtime uses inside one
 * text ({@code onnxThreads}, intra-op; 0 is the runtime's default). FARO's {@code OnnxEmbedder} runs
 * with LangChain4j's defaults: one embed thread per core and the runtime's default intra-op threads.
 */
final class TunedOnnxModel extends AbstractInProcessEmbeddingModel implements AutoCloseable {

    private final OrtSession session;
    private final OnnxBertBiEncoder encoder;
    private final ExecutorService executor;

    private TunedOnnxModel(ExecutorService executor, OrtSession session, OnnxBertBiEncoder encoder) {
        super(executor);
        this.executor = executor;
        this.session = session;
        this.encoder = encoder;
    }

    static TunedOnnxModel load(EmbeddingModelName name, int embedThreads, int onnxThreads) {
        String base = switch (name) {
            case ALL_MINILM_L6_V2 -> "all-minilm-l6-v2";
            case BGE_SMALL_EN_V15_Q -> "bge-small-en-v1.5-q";
        };
        PoolingMode pooling = name == EmbeddingModelName.ALL_MINILM_L6_V2 ? PoolingMode.MEAN : PoolingMode.CLS;
        ClassLoader loader = TunedOnnxModel.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream(base + ".onnx");
             InputStream tokenizer = loader.getResourceAsStream(base + "-tokenizer.json");
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException("the " + name.id() + " model is not on the class path");
            }
            if (onnxThreads > 0) {
                options.setIntraOpNumThreads(onnxThreads);
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            ExecutorService executor = Executors.newFixedThreadPool(embedThreads,
                    Thread.ofPlatform().name("tuned-embed-", 0).daemon().factory());
            return new TunedOnnxModel(executor, session,
                    new OnnxBertBiEncoder(environment, session, tokenizer, pooling));
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("cannot load the " + name.id() + " model: " + e.getMessage(), e);
        }
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            session.close();
        } catch (OrtException e) {
            // the session is dropped either way
        }
    }
}
