package io.faro.bench.ingest;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import io.faro.core.embed.EmbeddingModelName;
import io.faro.core.embed.OnnxEmbedder;
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
     * A thread setting and batch size. {@code shipped} is FARO's {@link OnnxEmbedder} as it is (its
     * threads are LangChain4j's defaults); otherwise the same model with the given threads.
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
        OnnxEmbedder shipped = OnnxEmbedder.create(modelName);
        // the first calls in a JVM load the ONNX runtime and compile the tokenizer path: not the model's speed
        for (int i = 0; i < 3; i++) {
            shipped.embedAll(texts.subList(0, Math.min(32, texts.size())));
        }
        Map<Setting, Double> best = new LinkedHashMap<>();
        for (int pass = 1; pass <= passes; pass++) {
            for (int batch : batchSizes) {
                // LangChain4j's defaults: one embed thread per core, the ONNX runtime's default intra-op threads
                Setting setting = new Setting(true, Runtime.getRuntime().availableProcessors(), 0, batch);
                best.merge(setting, measure(shipped::embedAll, texts, batch), Math::max);
            }
            for (int threads : embedThreads) {
                for (int onnx : onnxThreads) {
                    try (TunedOnnxModel model = TunedOnnxModel.load(modelName, threads, onnx)) {
                        for (int batch : batchSizes) {
                            best.merge(new Setting(false, threads, onnx, batch),
                                    measure(embedding(model), texts, batch), Math::max);
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
        if (setting.shipped()) {
            return measure(OnnxEmbedder.create(modelName)::embedAll, texts, setting.batchSize());
        }
        try (TunedOnnxModel model = TunedOnnxModel.load(modelName, setting.embedThreads(), setting.onnxThreads())) {
            return measure(embedding(model), texts, setting.batchSize());
        }
    }

    private static Function<List<String>, List<float[]>> embedding(TunedOnnxModel model) {
        return batch -> model.embedAll(batch.stream().map(TextSegment::from).toList()).content().stream()
                .map(Embedding::vector).toList();
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
