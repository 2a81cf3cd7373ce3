package io.faro.embedders.onnx;

import io.faro.core.embed.Embedder;
import io.faro.core.embed.EmbeddingException;
import io.faro.core.embed.EmbeddingModelName;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An in-process ONNX model from LangChain4j: no network, no key; the weights ship in a Maven artifact.
 *
 * <p>The model file, tokenizer and pooling are LangChain4j's; the threads are FARO's. By default each
 * text runs in an ONNX session with one intra-op thread, and as many texts run at once as there are
 * cores. LangChain4j's own default (as many texts at once, each on the runtime's default of one
 * intra-op thread per core, which spin while they wait) puts twice as many busy threads on the cores:
 * measured on 2 cores, the model alone embeds 27 % more chunks per second this way, and leaves the
 * cores free between batches for the rest of the pipeline ({@code bench/README.md}).
 *
 * <p>Every text, a single query too, is embedded on the embedder's own platform threads: a native ONNX
 * call would otherwise pin the carrier of the virtual thread that made it.
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {

    private final EmbeddingModelName name;
    private final Model model;
    private final ThreadPoolExecutor executor;
    private final OrtSession session;

    private OnnxEmbedder(EmbeddingModelName name, Model model, ThreadPoolExecutor executor, OrtSession session) {
        this.name = name;
        this.model = model;
        this.executor = executor;
        this.session = session;
    }

    /** The model with FARO's thread setting: one text per core at once, one intra-op thread per text. */
    public static OnnxEmbedder create(EmbeddingModelName name) {
        return create(name, Runtime.getRuntime().availableProcessors(), 1);
    }

    /**
     * The model with {@code textThreads} texts embedded at once, each with {@code onnxThreads} ONNX
     * intra-op threads (0: the runtime's default, one per core).
     */
    public static OnnxEmbedder create(EmbeddingModelName name, int textThreads, int onnxThreads) {
        if (textThreads < 1 || onnxThreads < 0) {
            throw new IllegalArgumentException("threads must be positive: " + textThreads + ", " + onnxThreads);
        }
        String base = name.id(); // LangChain4j's artifacts name their files after the model, as FARO does
        PoolingMode pooling = name == EmbeddingModelName.ALL_MINILM_L6_V2 ? PoolingMode.MEAN : PoolingMode.CLS;
        ClassLoader loader = OnnxEmbedder.class.getClassLoader();
        try (InputStream weights = loader.getResourceAsStream(base + ".onnx");
             InputStream tokenizer = loader.getResourceAsStream(base + "-tokenizer.json");
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (weights == null || tokenizer == null) {
                throw new EmbeddingException("the " + name.id() + " model is not on the class path (LangChain4j's "
                        + "langchain4j-embeddings-" + base + " artifact)", null);
            }
            if (onnxThreads > 0) {
                options.setIntraOpNumThreads(onnxThreads);
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(weights.readAllBytes(), options);
            ThreadPoolExecutor executor = new ThreadPoolExecutor(textThreads, textThreads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), Thread.ofPlatform().name("faro-embed-" + name.id() + "-", 0)
                    .daemon().factory());
            executor.allowCoreThreadTimeOut(true);
            return new OnnxEmbedder(name, new Model(executor, new OnnxBertBiEncoder(environment, session, tokenizer,
                    pooling)), executor, session);
        } catch (IOException | OrtException e) {
            throw new EmbeddingException("cannot load the " + name.id() + " model: " + e.getMessage(), e);
        }
    }

    @Override
    public String model() {
        return name.id();
    }

    @Override
    public int dimension() {
        return name.dimension();
    }

    @Override
    public List<float[]> embedAll(List<String> passages) {
        if (passages.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = passages.stream().map(TextSegment::from).toList();
        try {
            List<Embedding> embeddings = segments.size() == 1
                    // LangChain4j embeds a single text on the calling thread; this keeps it on the embedder's own
                    ? CompletableFuture.supplyAsync(() -> model.embedAll(segments).content(), executor).join()
                    : model.embedAll(segments).content();
            return embeddings.stream().map(Embedding::vector).toList();
        } catch (CompletionException e) {
            throw new EmbeddingException("model " + name.id() + " failed to embed " + passages.size() + " texts",
                    e.getCause());
        } catch (RuntimeException e) {
            throw new EmbeddingException("model " + name.id() + " failed to embed " + passages.size() + " texts", e);
        }
    }

    @Override
    public float[] embedQuery(String query) {
        return embedAll(List.of(name.queryPrefix() + query)).getFirst();
    }

    /** Stops the threads and frees the ONNX session; the embedder cannot be used afterwards. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            session.close();
        } catch (OrtException e) {
            throw new EmbeddingException("cannot close the " + name.id() + " model's session", e);
        }
    }

    /** LangChain4j's model class around FARO's session and threads. */
    private static final class Model extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        Model(ThreadPoolExecutor executor, OnnxBertBiEncoder encoder) {
            super(executor);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }
    }
}
