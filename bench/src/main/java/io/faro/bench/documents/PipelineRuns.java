package io.faro.bench.documents;

import io.faro.bench.stack.RunningFaro;
import io.faro.bench.stack.Stack;
import io.faro.core.config.FaroConfig;
import io.faro.core.model.Document;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One corpus through a fresh FARO (embedded broker, both sinks), from the first document published until every
 * store holds every chunk; a warm-up set goes first, untimed.
 */
final class PipelineRuns {

    private PipelineRuns() {
    }

    static Map<String, Object> run(Stack stack, List<Document> warmup, List<Document> documents) throws TimeoutException {
        FaroConfig config = stack.faroConfig(stack.newName(), true, Map.of());
        try (RunningFaro faro = RunningFaro.start(config)) {
            long warmChunks = RunningFaro.chunkCount(config, warmup);
            long chunks = RunningFaro.chunkCount(config, documents);
            faro.publish(warmup);
            faro.awaitChunks(warmChunks, Duration.ofMinutes(3));
            long start = System.nanoTime();
            faro.publish(documents);
            long[] reached = faro.awaitChunks(warmChunks + chunks, Duration.ofSeconds(Math.max(180, chunks)));
            double seconds = (java.util.Arrays.stream(reached).max().orElseThrow() - start) / 1e9;
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("documents", documents.size());
            figures.put("chunks", chunks);
            figures.put("seconds", seconds);
            figures.put("documents_per_second", documents.size() / seconds);
            figures.put("chunks_per_second", chunks / seconds);
            return figures;
        }
    }
}
