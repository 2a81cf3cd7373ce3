package io.faro.topology.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import io.faro.core.model.Chunk;
import io.faro.core.model.ChunkLocation;
import io.faro.core.model.Document;
import io.faro.documents.ExtractedText;
import io.faro.documents.Section;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkSplitterTest {

    private final HuggingFaceTokenCountEstimator tokens = new HuggingFaceTokenCountEstimator();

    @Test
    void shouldKeepEveryChunkWithinTheTokenBudget() {
        // given a long document of many sentences
        String text = IntStream.range(0, 200)
                .mapToObj(i -> "Sentence number " + i + " talks about streams, partitions and offsets.")
                .collect(Collectors.joining(" "));
        ChunkSplitter splitter = new ChunkSplitter(64, 8);

        // when
        List<Chunk> chunks = splitter.split(new Document("doc", "Title", text, Map.of("k", "v")), 7L);

        // then
        assertThat(chunks).hasSizeGreaterThan(10);
        assertThat(chunks).allSatisfy(chunk -> assertThat(tokens.estimateTokenCountInText(chunk.text())).isLessThanOrEqualTo(64));
    }

    @Test
    void shouldCutWhereLangChain4jsRecursiveSplitterCutsWithTheTokenizerItself() {
        // prose of paragraphs, lines, sentences and a few overlong words: every level of the recursion is used
        String text = IntStream.range(0, 40)
                .mapToObj(p -> IntStream.range(0, 3 + p % 5)
                        .mapToObj(s -> "Paragraph " + p + ", sentence " + s + ": naïve re-embedding of Kafka's offsets"
                                + (s % 3 == 0 ? "\nwraps here" : "") + (p % 7 == 0 ? " " + "x".repeat(30 + s) : "")
                                + ".")
                        .collect(Collectors.joining(" ")))
                .collect(Collectors.joining("\n\n"));
        List<String> expected = dev.langchain4j.data.document.splitter.DocumentSplitters.recursive(64, 8, tokens)
                .split(dev.langchain4j.data.document.Document.from(text)).stream()
                .map(dev.langchain4j.data.segment.TextSegment::text).toList();

        List<Chunk> chunks = new ChunkSplitter(64, 8).split(new Document("doc", "Title", text, Map.of()), 1L);

        assertThat(expected).hasSizeGreaterThan(30);
        assertThat(chunks).extracting(Chunk::text).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldGiveDeterministicIdsAndCarryTitleAndMetadata() {
        String text = "First paragraph about Kafka.\n\nSecond paragraph about PostgreSQL.\n\n" + "Word ".repeat(300);
        ChunkSplitter splitter = new ChunkSplitter(50, 0);
        Document doc = new Document("docs/a.md", "A", text, Map.of("lang", "en"));

        List<Chunk> first = splitter.split(doc, 7L);
        List<Chunk> second = splitter.split(doc, 7L);

        assertThat(first).isEqualTo(second);
        assertThat(first).extracting(Chunk::chunkId)
                .containsExactlyElementsOf(IntStream.range(0, first.size()).mapToObj(i -> "docs/a.md#" + i).toList());
        assertThat(first).extracting(Chunk::chunkIndex)
                .containsExactlyElementsOf(IntStream.range(0, first.size()).boxed().toList());
        assertThat(first).allSatisfy(chunk -> {
            assertThat(chunk.docId()).isEqualTo("docs/a.md");
            assertThat(chunk.title()).isEqualTo("A");
            assertThat(chunk.metadata()).containsEntry("lang", "en");
        });
    }

    @Test
    void shouldBreakAtParagraphsBeforeSentences() {
        // two paragraphs that fit the budget one by one but not together
        String p1 = "Kafka stores records in partitions. ".repeat(6).strip();
        String p2 = "Pgvector indexes embeddings with HNSW. ".repeat(6).strip();
        int budget = Math.max(tokens.estimateTokenCountInText(p1), tokens.estimateTokenCountInText(p2)) + 2;
        assertThat(tokens.estimateTokenCountInText(p1 + "\n\n" + p2)).isGreaterThan(budget);
        ChunkSplitter splitter = new ChunkSplitter(budget, 0);

        List<Chunk> chunks = splitter.split(new Document("d", "t", p1 + "\n\n" + p2, Map.of()), 7L);

        assertThat(chunks).extracting(Chunk::text).containsExactly(p1, p2);
    }

    @Test
    void shouldOverlapConsecutiveChunks() {
        String text = IntStream.range(0, 60).mapToObj(i -> "Fact " + i + " is true.").collect(Collectors.joining(" "));
        ChunkSplitter splitter = new ChunkSplitter(40, 15);

        List<Chunk> chunks = splitter.split(new Document("d", "t", text, Map.of()), 7L);

        assertThat(chunks).hasSizeGreaterThan(2);
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            String lastSentence = previous.substring(previous.lastIndexOf("Fact"));
            assertThat(chunks.get(i).text()).contains(lastSentence);
        }
    }

    @Test
    void shouldPackShortPagesIntoOneChunkCarryingThePageRange() {
        ChunkSplitter splitter = new ChunkSplitter(64, 0);
        ExtractedText text = new ExtractedText(List.of(
                new Section("Harbours shelter ships.", ChunkLocation.page(1)),
                new Section("Lighthouses warn ships of rocks.", ChunkLocation.page(2)),
                new Section("Word ".repeat(100).strip(), ChunkLocation.page(3))));

        List<Chunk> chunks = splitter.split(new Document("d", "t", "unused", Map.of("lang", "en")), text, 7L);

        assertThat(chunks.getFirst().text()).isEqualTo("Harbours shelter ships.\n\nLighthouses warn ships of rocks.");
        assertThat(chunks.getFirst().metadata()).containsEntry("page", 1).containsEntry("page_end", 2)
                .containsEntry("lang", "en");
        // the long page is cut on its own: every piece of it says page 3, none straddles into page 2
        assertThat(chunks.subList(1, chunks.size())).hasSizeGreaterThan(1)
                .allSatisfy(chunk -> assertThat(ChunkLocation.fromMetadata(chunk.metadata()).describe()).contains("page 3"));
        assertThat(chunks).allSatisfy(chunk -> assertThat(tokens.estimateTokenCountInText(chunk.text())).isLessThanOrEqualTo(64));
    }

    @Test
    void shouldNeverPackTextOfTwoHeadingsOrSheetsIntoOneChunk() {
        ChunkSplitter splitter = new ChunkSplitter(200, 0);
        ExtractedText text = new ExtractedText(List.of(
                new Section("# Setup\n\nInstall it.", ChunkLocation.headings(List.of("Setup"))),
                new Section("## Networking\n\nOpen the port.", ChunkLocation.headings(List.of("Setup", "Networking"))),
                new Section("Revenue 42", ChunkLocation.sheet("Revenue")),
                new Section("Costs 7", ChunkLocation.sheet("Costs"))));

        List<Chunk> chunks = splitter.split(new Document("d", "t", "unused", Map.of()), text, 7L);

        assertThat(chunks).extracting(c -> ChunkLocation.describe(c.metadata()).orElseThrow())
                .containsExactly("Setup", "Setup › Networking", "sheet Revenue", "sheet Costs");
        assertThat(chunks.get(1).metadata()).containsEntry("headings", List.of("Setup", "Networking"));
    }

    @Test
    void shouldGiveMarkdownChunksTheirHeadingPath() {
        ChunkSplitter splitter = new ChunkSplitter(200, 0);
        Document doc = new Document("guide.md", "Guide", "# Guide\n\nIntro.\n\n## Install\n\nRun the script.", Map.of());

        List<Chunk> chunks = splitter.split(doc, 1L);

        assertThat(chunks).extracting(Chunk::text).containsExactly("# Guide\n\nIntro.", "## Install\n\nRun the script.");
        assertThat(chunks).extracting(c -> c.metadata().get("headings"))
                .containsExactly(List.of("Guide"), List.of("Guide", "Install"));
    }
}
