package io.faro.topology.split;

import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import io.faro.core.model.Chunk;
import io.faro.core.model.Document;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a document into chunks with LangChain4j's recursive splitter: paragraphs first, then lines,
 * sentences and words, so a chunk breaks at the largest boundary that keeps it under the size.
 * Sizes count tokens of the embedding models' WordPiece tokenizer (the vocabulary both shipped
 * models share), so a chunk is never longer than the model reads.
 */
public final class ChunkSplitter {

    private final DocumentSplitter splitter;

    public ChunkSplitter(int chunkSizeTokens, int overlapTokens) {
        this.splitter = DocumentSplitters.recursive(chunkSizeTokens, overlapTokens, new HuggingFaceTokenCountEstimator());
    }

    /** The document's chunks, each carrying the document's version. */
    public List<Chunk> split(Document document, long docVersion) {
        List<TextSegment> segments = splitter.split(dev.langchain4j.data.document.Document.from(document.text()));
        List<Chunk> chunks = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            chunks.add(new Chunk(Chunk.idOf(document.id(), i), document.id(), docVersion, i, document.title(),
                    segments.get(i).text(), document.metadata()));
        }
        return chunks;
    }
}
