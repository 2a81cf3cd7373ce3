package io.faro.bench.ingest;

import io.faro.bench.stack.RunningFaro;
import io.faro.core.config.FaroConfig;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Document;
import io.faro.core.store.VectorStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * (b) The whole pipeline: FARO with its embedded broker and both sinks, from the first document
 * published until every chunk is searchable in every store. A warm-up set goes through first, so the
 * run measures a warm pipeline, not class loading.
 */
public final class PipelineRun {

    private PipelineRun() {
    }

    public static Map<String, Object> run(FaroConfig config, List<Document> warmup, List<Document> documents)
            throws TimeoutException {
        try (RunningFaro faro = RunningFaro.start(config)) {
            long warmChunks = RunningFaro.chunkCount(config, warmup);
            long chunks = RunningFaro.chunkCount(config, documents);
            faro.publish(warmup);
            faro.awaitChunks(warmChunks, Duration.ofMinutes(3));
            double embedBefore = faro.metric(MetricNames.EMBED_BUSY_SECONDS + "_total");
            double batchesBefore = faro.metric(MetricNames.EMBED_BATCH_SECONDS + "_sum");
            Map<String, Double> writesBefore = sinkWriteSeconds(faro);

            long start = System.nanoTime();
            faro.publish(documents);
            long published = System.nanoTime();
            long[] reached = faro.awaitChunks(warmChunks + chunks,
                    Duration.ofSeconds(Math.max(180, chunks)));
            long end = java.util.Arrays.stream(reached).max().orElseThrow();

            double seconds = (end - start) / 1e9;
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("chunks", chunks);
            figures.put("seconds", seconds);
            figures.put("chunks_per_second", chunks / seconds);
            figures.put("publish_seconds", (published - start) / 1e9);
            for (int i = 0; i < reached.length; i++) {
                figures.put(faro.stores().get(i).name() + "_complete_seconds", (reached[i] - start) / 1e9);
            }
            double embedSeconds = faro.metric(MetricNames.EMBED_BUSY_SECONDS + "_total") - embedBefore;
            // how much of the run the model was busy (batches under way at once counted once): the rest is the
            // pipeline's own time
            figures.put("model_busy_seconds", embedSeconds);
            figures.put("model_busy_share", embedSeconds / seconds);
            figures.put("embed_batch_seconds", faro.metric(MetricNames.EMBED_BATCH_SECONDS + "_sum") - batchesBefore);
            sinkWriteSeconds(faro).forEach((store, total) ->
                    figures.put(store + "_write_seconds", total - writesBefore.getOrDefault(store, 0.0)));
            return figures;
        }
    }

    private static Map<String, Double> sinkWriteSeconds(RunningFaro faro) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (VectorStore store : faro.stores()) {
            seconds.put(store.name(), faro.metric(MetricNames.SINK_WRITE_SECONDS + "_sum",
                    MetricNames.TAG_STORE + "=\"" + store.name() + "\""));
        }
        return seconds;
    }
}
