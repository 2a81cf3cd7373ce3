package io.faro.core.model;

import java.util.Map;

/** One search result: a chunk and its cosine similarity to the query (1 = same direction). */
public record SearchHit(String docId, String chunkId, int chunkIndex, String title, String text,
                        Map<String, Object> metadata, double score) {
}
