package io.faro.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.config.FaroConfig;
import io.faro.core.model.ChunkLocation;
import io.faro.core.model.Document;
import io.faro.documents.ExtractionException.Reason;
import io.faro.documents.samples.SampleFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class TextExtractorTest {

    private static final FaroConfig.ExtractionSettings LIMITS = new FaroConfig.ExtractionSettings(30_000, 1_000_000, 100);

    private final TextExtractor extractor = new TextExtractor(LIMITS);

    private ExtractedText extract(byte[] bytes, String contentType) {
        return extractor.extract(new Document.Inline(bytes, contentType));
    }

    @Test
    void shouldKeepThePageOfEachStretchOfAPdf() {
        byte[] pdf = SampleFiles.pdf("The harbour lies on page one.", "", "Lighthouses guide ships on page three.");

        ExtractedText text = extract(pdf, SampleFiles.PDF);

        assertThat(text.sections()).extracting(Section::location)
                .containsExactly(ChunkLocation.page(1), ChunkLocation.page(3)); // the blank page has no section
        assertThat(text.sections().get(1).text()).isEqualTo("Lighthouses guide ships on page three.");
    }

    @Test
    void shouldKeepTheHeadingPathOfAWordFile() {
        byte[] docx = SampleFiles.docx("Preface without a heading.", "# Setup", "## Networking",
                "Open port 9092 to the brokers.", "## Storage", "Mount a volume for the log.", "# Operations",
                "Watch the lag.");

        ExtractedText text = extract(docx, SampleFiles.DOCX);

        assertThat(text.sections()).extracting(s -> s.location().headings()).containsExactly(
                List.of(), List.of("Setup", "Networking"), List.of("Setup", "Storage"), List.of("Operations"));
        // the lone "Setup" heading leads into its first subsection instead of being a chunk of its own
        assertThat(text.sections().get(1).text()).isEqualTo("Setup\n\nNetworking\n\nOpen port 9092 to the brokers.");
    }

    @Test
    void shouldKeepTheSlideOfAPresentation() {
        byte[] pptx = SampleFiles.pptx("Quarterly results", "Revenue grew in the north", "Questions");

        ExtractedText text = extract(pptx, SampleFiles.PPTX);

        assertThat(text.sections()).extracting(Section::location)
                .containsExactly(ChunkLocation.slide(1), ChunkLocation.slide(2), ChunkLocation.slide(3));
        assertThat(text.sections().get(1).text()).isEqualTo("Revenue grew in the north");
    }

    @Test
    void shouldKeepTheSheetOfAWorkbook() {
        byte[] xlsx = SampleFiles.xlsx(new java.util.LinkedHashMap<>(Map.of("Revenue",
                List.of("quarter | amount | doubled", "Q1 | 42 | =STDEV(2,4)*SQRT(2)"))));

        ExtractedText text = extract(xlsx, SampleFiles.XLSX);

        assertThat(text.sections()).singleElement().satisfies(section -> {
            assertThat(section.location()).isEqualTo(ChunkLocation.sheet("Revenue"));
            assertThat(section.text()).contains("quarter amount doubled").contains("Q1 42 2");
        });
    }

    @Test
    void shouldKeepTheHeadingPathOfHtmlAndDropScripts() {
        byte[] html = SampleFiles.html("<html><head><title>Guide</title><script>var x = 1;</script></head><body>"
                + "<h1>Setup</h1><p>Install the JDK.</p><h2>Networking</h2><p>Open <b>port</b> 9092.</p>"
                + "<ul><li>one</li><li>two</li></ul></body></html>");

        ExtractedText text = extract(html, "text/html; charset=utf-8");

        assertThat(text.sections()).extracting(Section::location).containsExactly(
                ChunkLocation.headings(List.of("Setup")), ChunkLocation.headings(List.of("Setup", "Networking")));
        assertThat(text.sections().get(1).text()).isEqualTo("Networking\n\nOpen port 9092.\n\none\n\ntwo");
        assertThat(text.sections()).noneMatch(s -> s.text().contains("var x"));
    }

    @Test
    void shouldKeepTheHeadingPathOfMarkdownButNotOfAHashInCode() {
        String markdown = "Intro.\n\n# Setup\n\n## Networking\n\nOpen port 9092.\n\n```\n# not a heading\n```\n\n"
                + "Setext title\n============\n\nBody.\n";

        ExtractedText inline = extract(markdown.getBytes(StandardCharsets.UTF_8), "text/markdown");
        ExtractedText text = extractor.extract(new Document.Text(markdown));

        assertThat(inline).isEqualTo(text);
        assertThat(text.sections()).extracting(Section::location).containsExactly(ChunkLocation.NONE,
                ChunkLocation.headings(List.of("Setup", "Networking")), ChunkLocation.headings(List.of("Setext title")));
        assertThat(text.sections().get(1).text()).isEqualTo(
                "# Setup\n\n## Networking\n\nOpen port 9092.\n\n```\n# not a heading\n```");
    }

    @Test
    void shouldReadPlainTextInItsCharset() {
        byte[] latin1 = "Café crème, déjà vu.".getBytes(StandardCharsets.ISO_8859_1);

        ExtractedText text = extract(latin1, "text/plain; charset=ISO-8859-1");

        assertThat(text.sections()).singleElement().isEqualTo(new Section("Café crème, déjà vu.", ChunkLocation.NONE));
    }

    @Test
    void shouldDetectTheFormatWhenTheTypeIsNotGiven() {
        byte[] pdf = SampleFiles.pdf("Detected from its bytes.");
        byte[] docx = SampleFiles.docx("# Title", "Detected too.");

        assertThat(extractor.extract(pdf, Optional.empty()).sections()).singleElement()
                .extracting(Section::location).isEqualTo(ChunkLocation.page(1));
        assertThat(extract(docx, "application/octet-stream").sections()).singleElement()
                .extracting(Section::location).isEqualTo(ChunkLocation.headings(List.of("Title")));
    }

    @Test
    void shouldRefuseAnEncryptedPdf() {
        assertRejected(() -> extract(SampleFiles.encryptedPdf("secret plans"), SampleFiles.PDF), Reason.ENCRYPTED,
                "encrypted");
    }

    @Test
    void shouldRefuseAnEncryptedWordFile() {
        assertRejected(() -> extract(SampleFiles.encryptedDocx("# Secret", "plans"), SampleFiles.DOCX),
                Reason.ENCRYPTED, "encrypted");
    }

    @Test
    void shouldRefuseATruncatedWordFileAndPdf() {
        byte[] docx = SampleFiles.docx("# Setup", "Some text that will be cut off.");
        byte[] pdf = SampleFiles.pdf("Some text that will be cut off.");

        assertRejected(() -> extract(SampleFiles.truncated(docx, 0.6), SampleFiles.DOCX), Reason.CORRUPT,
                "cannot be read");
        assertRejected(() -> extract(SampleFiles.truncated(pdf, 0.3), SampleFiles.PDF), Reason.CORRUPT,
                "cannot be read");
        assertRejected(() -> extract("not a pdf at all".getBytes(StandardCharsets.UTF_8), SampleFiles.PDF),
                Reason.CORRUPT, "PDF");
    }

    @Test
    void shouldRefuseAZipBomb() {
        // 40 MB of text in about 40 KB of zip: far past the ratio of 100, though under the character cap
        TextExtractor roomy = new TextExtractor(new FaroConfig.ExtractionSettings(30_000, 100_000_000, 100));
        byte[] bomb = SampleFiles.zipBombDocx(40_000_000);
        assertThat(bomb.length).isLessThan(200_000);

        assertRejected(() -> roomy.extract(new Document.Inline(bomb, SampleFiles.DOCX)), Reason.TOO_LARGE,
                "FARO_MAX_COMPRESSION_RATIO");
    }

    @Test
    void shouldRefuseTextPastTheCharacterCap() {
        TextExtractor small = new TextExtractor(new FaroConfig.ExtractionSettings(30_000, 2_000, 100));
        byte[] pdf = SampleFiles.pdf("word ".repeat(300), "word ".repeat(300));
        byte[] text = "word ".repeat(500).getBytes(StandardCharsets.UTF_8);

        assertRejected(() -> small.extract(new Document.Inline(pdf, SampleFiles.PDF)), Reason.TOO_LARGE,
                "FARO_MAX_EXTRACTED_CHARS");
        assertRejected(() -> small.extract(new Document.Inline(text, "text/plain")), Reason.TOO_LARGE,
                "FARO_MAX_EXTRACTED_CHARS");
    }

    @Test
    void shouldStopAParseThatRunsPastTheTimeLimit() {
        // a 1 ms limit: no parse of a 200-page PDF ends within it
        TextExtractor hasty = new TextExtractor(new FaroConfig.ExtractionSettings(1, 1_000_000, 100));
        String[] pages = new String[200];
        java.util.Arrays.fill(pages, "A page of words about streams and partitions.");
        byte[] pdf = SampleFiles.pdf(pages);

        assertRejected(() -> hasty.extract(new Document.Inline(pdf, SampleFiles.PDF)), Reason.TIMEOUT,
                "FARO_PARSE_TIMEOUT_MS");
    }

    @Test
    void shouldRefuseAnUnsupportedType() {
        assertRejected(() -> extract(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png"), Reason.UNSUPPORTED,
                "'image/png' is not one FARO extracts");
        assertRejected(() -> extract(new byte[] {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0}, "application/octet-stream"),
                Reason.UNSUPPORTED, "image/gif");
    }

    @Test
    void shouldRefuseADocumentWithoutText() {
        assertRejected(() -> extract(SampleFiles.pdf("", ""), SampleFiles.PDF), Reason.EMPTY, "OCR");
        assertRejected(() -> extract(SampleFiles.html("<html><body><p> </p></body></html>"), "text/html"),
                Reason.EMPTY, "holds no text");
    }

    @Test
    void shouldRefuseAClaimCheckThatWasNotFetched() {
        Document.Reference ref = new Document.Reference(
                io.faro.core.document.ContentRef.parse("s3://b/k.pdf", Optional.empty(), Optional.empty()), Optional.empty());

        assertRejected(() -> extractor.extract(ref), Reason.UNSUPPORTED, "must be fetched");
    }

    private static void assertRejected(ThrowingCallable call, Reason reason, String message) {
        assertThatThrownBy(call).isInstanceOf(ExtractionException.class).hasMessageContaining(message)
                .extracting(e -> ((ExtractionException) e).reason()).isEqualTo(reason);
    }
}
