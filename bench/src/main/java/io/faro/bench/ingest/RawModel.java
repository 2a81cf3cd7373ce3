package io.faro.bench.ingest;

import io.faro.core.embed.EmbeddingModelName;
import io.faro.embedders.onnx.OnnxEmbedder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * (a) The embedding model alone: the corpus's chunk texts embedded batch after batch, with nothing
 * around it. The physical limit of ingestion on this machine.
 */
final class RawModel {

    /**
     * A thread setting and batch size. {@code shipped} is FARO's {@link OnnxEmbedder} as it is created by
     * default; otherwise the same model with the given threads ({@code embedThreads} texts at once, each
     * with {@code onnxThreads} ONNX intra-op threads; LangChain4j's own default is one text per core and
     * the runtime's default intra-op threads).
     */
    record Setting(boolean shipped, int embedThreads, int onnxThreads, int batchSize) {

        String describe() {
            return (shipped ? "OnnxEmbedder as shipped: " : "") + "embed threads " + embedThreads + ", onnx threads "
                    + (onnxThreads == 0 ? "default" : onnxThreads) + ", batch " + batchSize;
        }
    }

    record Point(Setting setting, double chunksPerSecond) {
    }

    private final EmbeddingModelName modelName;

    RawModel(EmbeddingModelName modelName) {
        this.modelName = modelName;
    }

    /**
     * Measures every combination on the texts, {@code passes} times over the whole grid; a point's
     * figure is its best pass, the one least disturbed by whatever else the machine was doing.
     */
    List<Point> sweep(List<String> texts, List<Integer> batchSizes, List<Integer> embedThreads,
                      List<Integer> onnxThreads, int passes, Consumer<Point> progress) {
        Map<Setting, Double> best = new LinkedHashMap<>();
        try (OnnxEmbedder shipped = OnnxEmbedder.create(modelName)) {
            // the first calls in a JVM load the ONNX runtime and compile the tokenizer path: not the model's speed
            for (int i = 0; i < 3; i++) {
                shipped.embedAll(texts.subList(0, Math.min(32, texts.size())));
            }
            for (int pass = 1; pass <= passes; pass++) {
                for (int batch : batchSizes) {
                    // FARO's default: one text per core at once, one ONNX intra-op thread each
                    Setting setting = new Setting(true, Runtime.getRuntime().availableProcessors(), 1, batch);
                    best.merge(setting, measure(shipped::embedAll, texts, batch), Math::max);
                }
                for (int threads : embedThreads) {
                    for (int onnx : onnxThreads) {
                        try (OnnxEmbedder model = OnnxEmbedder.create(modelName, threads, onnx)) {
                            for (int batch : batchSizes) {
                                best.merge(new Setting(false, threads, onnx, batch),
                                        measure(model::embedAll, texts, batch), Math::max);
                            }
                        }
                    }
                }
            }
        }
        List<Point> points = new ArrayList<>();
        best.forEach((setting, rate) -> {
            Point point = new Point(setting, rate);
            points.add(point);
            progress.accept(point);
        });
        return points;
    }

    /** Chunks per second of one setting over all the texts. */
    double measure(Setting setting, List<String> texts) {
        try (OnnxEmbedder model = setting.shipped() ? OnnxEmbedder.create(modelName)
                : OnnxEmbedder.create(modelName, setting.embedThreads(), setting.onnxThreads())) {
            return measure(model::embedAll, texts, setting.batchSize());
        }
    }

    private static double measure(Function<List<String>, List<float[]>> embed, List<String> texts, int batchSize) {
        embed.apply(texts.subList(0, Math.min(batchSize, texts.size()))); // warm-up: JIT, ONNX arenas
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<float[]> vectors = embed.apply(texts.subList(from, Math.min(from + batchSize, texts.size())));
            if (vectors.isEmpty()) {
                throw new IllegalStateException("the model returned no vectors");
            }
        }
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }
}
