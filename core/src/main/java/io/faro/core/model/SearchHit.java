package io.faro.core.model;

import io.faro.core.access.DocumentKey;
import java.util.Map;
import java.util.Optional;

/**
 * One search result: a chunk, its cosine similarity to the query (1 = same direction), and the model
 * that made its vector (so a searcher can tell that the store switched models under it). {@code docId} is
 * the document's key as the stores hold it; {@link #tenant()} and {@link #documentId()} are what a caller sees.
 */
public record SearchHit(String docId, String chunkId, int chunkIndex, String title, String text,
                        Map<String, Object> metadata, double score, String model, Ranks ranks) {

    /** A hit without an explanation of its ranks. */
    public SearchHit(String docId, String chunkId, int chunkIndex, String title, String text,
                     Map<String, Object> metadata, double score, String model) {
        this(docId, chunkId, chunkIndex, title, text, metadata, score, model, null);
    }

    /**
     * Where a hit stood in the dense and in the keyword list before fusion (ranks from 1), with its score in
     * each; a side that did not find it, or did not run, leaves its two values {@code null}. A store fills it
     * in when a {@link io.faro.core.store.StoreQuery#explain()} asks.
     */
    public record Ranks(Integer denseRank, Double denseScore, Integer keywordRank, Double keywordScore) {
    }

    /** The hit's ranks before fusion, when the search asked to explain them. */
    public Optional<Ranks> explanation() {
        return Optional.ofNullable(ranks);
    }

    /** This hit with its ranks before fusion. */
    public SearchHit withRanks(Ranks explained) {
        return new SearchHit(docId, chunkId, chunkIndex, title, text, metadata, score, model, explained);
    }

    /** This hit with another score: the one a reranker gave it, by which the hits are then ordered. */
    public SearchHit withScore(double rescored) {
        return new SearchHit(docId, chunkId, chunkIndex, title, text, metadata, rescored, model, ranks);
    }

    /**
     * The hit's text with its document's title and the headings above it, as keyword search indexed it
     * ({@link Chunk#contextText()}): what a reranker reads beside the question.
     */
    public String contextText() {
        return ChunkLocation.contextText(title, text, metadata);
    }

    /** The tenant of the hit's document. */
    public String tenant() {
        return DocumentKey.tenantOf(docId);
    }

    /** The document's id as its publisher gave it, without the tenant. */
    public String documentId() {
        return DocumentKey.idOf(docId);
    }

    /** Where in its document the chunk lies, as a reader sees it ("page 4", "Setup › Networking"). */
    public Optional<String> location() {
        return ChunkLocation.describe(metadata);
    }
}
