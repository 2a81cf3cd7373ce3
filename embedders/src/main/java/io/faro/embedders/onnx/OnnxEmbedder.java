package io.faro.embedders.onnx;

import io.faro.core.embed.Embedder;
import io.faro.core.embed.EmbeddingException;
import io.faro.core.embed.EmbeddingModelName;
import io.faro.embedders.onnx.ModelThreads.Lane;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

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
 * call would otherwise pin the carrier of the virtual thread that made it. A question goes ahead of the
 * passages waiting for those threads ({@link ModelThreads}). The ingest gets its batches back as futures
 * ({@link #embedAsync}), two under way at once, so that the model embeds one batch while the stream thread
 * forwards the last and gathers the next.
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {

    /** Batches under way at once: one with the model, one gathered and waiting behind it. */
    static final int BATCHES_IN_FLIGHT = 2;

    private final EmbeddingModelName name;
    private final Model model;
    private final ModelThreads threads;
    private final OrtSession session;

    private OnnxEmbedder(EmbeddingModelName name, Model model, ModelThreads threads, OrtSession session) {
        this.name = name;
        this.model = model;
        this.threads = threads;
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
            ModelThreads threads = new ModelThreads(textThreads, "faro-embed-" + name.id() + "-");
            return new OnnxEmbedder(name, new Model(threads, new OnnxBertBiEncoder(environment, session, tokenizer,
                    pooling)), threads, session);
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
        List<CompletableFuture<float[]>> vectors = passages.stream().map(text -> embed(Lane.PASSAGE, text)).toList();
        try {
            return vectors.stream().map(CompletableFuture::join).toList();
        } catch (CompletionException e) {
            throw new EmbeddingException("model " + name.id() + " failed to embed " + passages.size() + " texts",
                    e.getCause());
        }
    }

    @Override
    public float[] embedQuery(String query) {
        try {
            return embed(Lane.QUERY, name.queryPrefix() + query).join();
        } catch (CompletionException e) {
            throw new EmbeddingException("model " + name.id() + " failed to embed a query", e.getCause());
        }
    }

    /**
     * Each text on the model's threads; the stream thread goes on meanwhile. A text the model fails on is refused
     * alone (each is embedded alone anyway); the whole batch fails only when the model was closed.
     */
    @Override
    public CompletableFuture<List<Outcome>> embedAsync(List<String> passages) {
        List<CompletableFuture<Outcome>> outcomes = passages.stream()
                .map(text -> embed(Lane.PASSAGE, text).handle((vector, failure) -> failure == null
                        ? Outcome.of(vector) : refusalOrClosed(failure)))
                .toList();
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(all -> outcomes.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public int batchesInFlight() {
        return BATCHES_IN_FLIGHT;
    }

    private Outcome refusalOrClosed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof RejectedExecutionException closed) {
            throw new EmbeddingException("model " + name.id() + " is closed", closed);
        }
        return Outcome.refused(String.valueOf(cause.getMessage()));
    }

    /** One text, embedded alone on one of the model's threads (LangChain4j embeds a single text where it is called). */
    private CompletableFuture<float[]> embed(Lane lane, String text) {
        return threads.submit(lane, () -> model.embed(text).content().vector());
    }

    /** Stops the threads and frees the ONNX session; the embedder cannot be used afterwards. */
    @Override
    public void close() {
        threads.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new EmbeddingException("cannot close the " + name.id() + " model's session", e);
        }
    }

    /** LangChain4j's model class around FARO's session and threads. */
    private static final class Model extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        Model(ModelThreads threads, OnnxBertBiEncoder encoder) {
            super(threads.passages());
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }
    }
}
