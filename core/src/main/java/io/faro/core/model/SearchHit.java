package io.faro.core.model;

import java.util.Map;
import java.util.Optional;

/**
 * One search result: a chunk, its cosine similarity to the query (1 = same direction), and the model
 * that made its vector (so a searcher can tell that the store switched models under it).
 */
public record SearchHit(String docId, String chunkId, int chunkIndex, String title, String text,
                        Map<String, Object> metadata, double score, String model) {

    /** Where in its document the chunk lies, as a reader sees it ("page 4", "Setup › Networking"). */
    public Optional<String> location() {
        return ChunkLocation.describe(metadata);
    }
}
