package io.faro.topology.split;

import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import io.faro.core.model.Chunk;
import io.faro.core.model.ChunkLocation;
import io.faro.core.model.Document;
import io.faro.documents.ExtractedText;
import io.faro.documents.MarkdownSections;
import io.faro.documents.Section;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a document into chunks with LangChain4j's recursive splitter: paragraphs first, then lines,
 * sentences and words, so a chunk breaks at the largest boundary that keeps it under the size.
 * Sizes count tokens of the embedding models' WordPiece tokenizer (the vocabulary both shipped
 * models share), so a chunk is never longer than the model reads; each word of up to 64 characters is
 * tokenized once ({@link WordPieceCounts}).
 * <p>
 * The text comes in sections that each lie in one place (a page, a slide, a sheet, a heading's section). A
 * section too long for one chunk is split on its own, so its chunks never reach into another heading or
 * sheet. Short neighbours are packed into one chunk while they stay under the same headings and in the same
 * sheet, the chunk holds less than half its size so far, and the next one fits: consecutive short pages or
 * slides share a chunk, which then carries the range ("slides 3–5"), while a page of real prose keeps its own
 * chunks, so that a citation names the one page it comes from. Each
 * chunk's metadata holds its location ({@link ChunkLocation}) beside the document's own metadata.
 */
public final class ChunkSplitter {

    private static final String SECTION_BREAK = "\n\n";

    private final DocumentSplitter splitter;
    private final WordPieceCounts tokens = new WordPieceCounts();
    private final int chunkSizeTokens;

    public ChunkSplitter(int chunkSizeTokens, int overlapTokens) {
        this.splitter = DocumentSplitters.recursive(chunkSizeTokens, overlapTokens, tokens);
        this.chunkSizeTokens = chunkSizeTokens;
    }

    /** The chunks of a text document, cut at its Markdown headings; each carries the document's version. */
    public List<Chunk> split(Document document, long docVersion) {
        return split(document, MarkdownSections.of(document.text(), Integer.MAX_VALUE), docVersion);
    }

    /**
     * The chunks of a document's extracted text, each carrying the document's version, its location and the
     * document's ACL; their ids derive from the document's key, so the same id in two tenants never shares one.
     */
    public List<Chunk> split(Document document, ExtractedText text, long docVersion) {
        List<Piece> pieces = new ArrayList<>();
        Piece open = null;
        for (Section section : text.sections()) {
            int sectionTokens = tokens.estimateTokenCountInText(section.text());
            if (open != null && open.location.continuesInto(section.location()) && open.tokens < chunkSizeTokens / 2
                    && open.tokens + sectionTokens + 1 <= chunkSizeTokens) {
                open = new Piece(open.text + SECTION_BREAK + section.text(), open.location.through(section.location()),
                        open.tokens + sectionTokens + 1);
                continue;
            }
            if (open != null) {
                pieces.add(open);
            }
            List<String> segments = sectionTokens <= chunkSizeTokens ? List.of(section.text())
                    : splitter.split(dev.langchain4j.data.document.Document.from(section.text())).stream()
                            .map(TextSegment::text).toList();
            for (int i = 0; i < segments.size() - 1; i++) {
                pieces.add(new Piece(segments.get(i), section.location(), chunkSizeTokens));
            }
            String last = segments.getLast();
            // the tail of a long section may still share a chunk with the start of the next one
            open = new Piece(last, section.location(), segments.size() == 1 ? sectionTokens
                    : tokens.estimateTokenCountInText(last));
        }
        if (open != null) {
            pieces.add(open);
        }
        List<Chunk> chunks = new ArrayList<>(pieces.size());
        for (int i = 0; i < pieces.size(); i++) {
            Piece piece = pieces.get(i);
            chunks.add(new Chunk(Chunk.idOf(document.key(), i), document.key(), docVersion, i, document.title(),
                    piece.text, metadata(document.metadata(), piece.location), document.acl()));
        }
        return chunks;
    }

    /** The document's metadata, with the location's keys set from the extraction when it found one. */
    private static Map<String, Object> metadata(Map<String, Object> documentMetadata, ChunkLocation location) {
        if (location.isEmpty()) {
            return documentMetadata;
        }
        Map<String, Object> metadata = new LinkedHashMap<>(documentMetadata);
        ChunkLocation.KEYS.forEach(metadata::remove);
        metadata.putAll(location.toMetadata());
        return metadata;
    }

    private record Piece(String text, ChunkLocation location, int tokens) {
    }
}
