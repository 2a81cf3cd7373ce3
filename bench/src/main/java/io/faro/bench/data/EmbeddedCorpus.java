package io.faro.bench.data;

import static io.faro.bench.report.Progress.progress;

import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.model.Chunk;
import io.faro.core.model.Document;
import io.faro.core.model.EmbeddedChunk;
import io.faro.topology.split.ChunkSplitter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Documents split with FARO's splitter and embedded with FARO's model: the records the pipeline would
 * write to {@code faro.embeddings}, made directly: the model reads each chunk's text with its context line, as
 * the pipeline's does. Each distinct text is embedded once.
 */
public final class EmbeddedCorpus {

    private static final int BATCH = 32;
    private static final int PROGRESS_EVERY = 10_000;

    private EmbeddedCorpus() {
    }

    public static List<EmbeddedChunk> of(FaroConfig config, Embedder embedder, List<Document> documents) {
        ChunkSplitter splitter = new ChunkSplitter(config.chunkSizeTokens(), config.chunkOverlapTokens());
        return embed(embedder, documents.stream().flatMap(document -> splitter.split(document, 0).stream()).toList());
    }

    /** Each chunk with the model's vector of its text and context line. */
    public static List<EmbeddedChunk> embed(Embedder embedder, List<Chunk> chunks) {
        List<String> distinct = chunks.stream().map(Chunk::contextText).distinct().toList();
        Map<String, float[]> vectors = new HashMap<>();
        for (int from = 0; from < distinct.size(); from += BATCH) {
            List<String> batch = distinct.subList(from, Math.min(from + BATCH, distinct.size()));
            List<float[]> embedded = embedder.embedAll(batch);
            for (int i = 0; i < batch.size(); i++) {
                vectors.put(batch.get(i), embedded.get(i));
            }
            if ((from + BATCH) % PROGRESS_EVERY < BATCH) {
                progress("embedded %d of %d distinct chunks", from + batch.size(), distinct.size());
            }
        }
        List<EmbeddedChunk> records = new ArrayList<>(chunks.size());
        for (Chunk chunk : chunks) {
            records.add(new EmbeddedChunk(chunk, embedder.model(), embedder.dimension(),
                    vectors.get(chunk.contextText())));
        }
        return records;
    }
}
