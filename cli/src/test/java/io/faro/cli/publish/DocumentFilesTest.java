package io.faro.cli.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.FaroException;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.model.Document;
import io.faro.documents.samples.SampleFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentFilesTest {

    @TempDir
    Path work;

    @Test
    void shouldDeriveIdFromPathAndTitleFromFirstHeading() throws Exception {
        Path file = Files.createDirectories(work.resolve("docs/guide")).resolve("intro.md");
        Files.writeString(file, "Some preface\n\n## Getting started ##\n\nText.\n\n# Later heading\n");

        Document doc = new DocumentFiles(work).read(file);

        assertThat(doc.id()).isEqualTo("docs/guide/intro.md");
        assertThat(doc.title()).isEqualTo("Getting started");
        assertThat(doc.text()).contains("Text.");
        assertThat(doc.metadata()).containsEntry("content_type", "text/markdown");
    }

    @Test
    void shouldUseFileNameAsTitleForTextFilesAndHeadinglessMarkdown() throws Exception {
        Files.writeString(work.resolve("notes.txt"), "# not a heading in plain text");
        Files.writeString(work.resolve("plain.md"), "no heading at all");

        DocumentFiles files = new DocumentFiles(work);

        assertThat(files.read(work.resolve("notes.txt")).title()).isEqualTo("notes");
        assertThat(files.read(work.resolve("plain.md")).title()).isEqualTo("plain");
    }

    @Test
    void shouldUseAbsolutePathForFilesOutsideWorkingDirectory(@TempDir Path elsewhere) throws Exception {
        Path file = Files.writeString(elsewhere.resolve("a.md"), "# A");

        assertThat(new DocumentFiles(work).read(file).id()).isEqualTo(file.toAbsolutePath().normalize().toString());
    }

    @Test
    void shouldExpandDirectoriesRecursivelyKeepingOnlyFormatsFaroReads() throws Exception {
        Files.createDirectories(work.resolve("d/sub/deeper"));
        Files.writeString(work.resolve("d/a.md"), "a");
        Files.writeString(work.resolve("d/sub/b.txt"), "b");
        Files.writeString(work.resolve("d/sub/c.png"), "c");
        Files.write(work.resolve("d/sub/deeper/e.PDF"), SampleFiles.pdf("e"));
        for (String name : List.of("f.docx", "g.pptx", "h.xlsx", "i.html", "j.htm", "k.zip")) {
            Files.writeString(work.resolve("d/sub/" + name), "x");
        }

        List<Path> found = new DocumentFiles(work).expand(List.of(work.resolve("d"), work.resolve("d/a.md")));

        assertThat(found).extracting(p -> work.relativize(p).toString()).containsExactly("d/a.md", "d/sub/b.txt",
                "d/sub/deeper/e.PDF", "d/sub/f.docx", "d/sub/g.pptx", "d/sub/h.xlsx", "d/sub/i.html", "d/sub/j.htm");
    }

    @Test
    void shouldSendBinaryFilesInlineWithTheContentTypeOfTheirFormat() throws Exception {
        byte[] pdf = SampleFiles.pdf("A page.");
        Path file = Files.write(work.resolve("report.pdf"), pdf);
        Path deck = Files.write(work.resolve("deck.pptx"), SampleFiles.pptx("One slide"));

        Document doc = new DocumentFiles(work).read(file);

        assertThat(doc.id()).isEqualTo("report.pdf");
        assertThat(doc.title()).isEqualTo("report");
        assertThat(doc.content()).isEqualTo(new Document.Inline(pdf, SampleFiles.PDF));
        assertThat(doc.metadata()).containsEntry("content_type", SampleFiles.PDF);
        assertThat(((Document.Inline) new DocumentFiles(work).read(deck).content()).contentType()).isEqualTo(SampleFiles.PPTX);
    }

    @Test
    void shouldSendTextInAnotherCharsetInlineForTheIngestToDecode() throws Exception {
        byte[] latin1 = "Café".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path file = Files.write(work.resolve("menu.txt"), latin1);

        Document doc = new DocumentFiles(work).read(file);

        assertThat(doc.content()).isEqualTo(new Document.Inline(latin1, "text/plain"));
    }

    @Test
    void shouldRefuseMissingPathsAndFilesOfOtherFormats() throws Exception {
        Path image = Files.writeString(work.resolve("photo.png"), "png");
        DocumentFiles files = new DocumentFiles(work);

        assertThatThrownBy(() -> files.expand(List.of(work.resolve("nope")))).isInstanceOf(FaroException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> files.expand(List.of(image))).isInstanceOf(FaroException.class)
                .hasMessageContaining("not a file FARO reads").hasMessageContaining(".pdf");
    }

    @Test
    void shouldTellHowToPublishAFileLargerThanARecordMayBe() {
        FaroConfig config = FaroConfig.from(Env.of(Map.of()));
        Document big = Document.inline("big.pdf", "big", new byte[4_000], SampleFiles.PDF, Map.of());

        assertThatThrownBy(() -> PublishCommand.publish(config.kafka().withBootstrap("127.0.0.1:1"), 2_048, List.of(big),
                new ClaimCheckPublishing(2_048, java.util.Optional.empty(), s3 -> {
                    throw new AssertionError("no S3 without FARO_S3_BUCKET");
                })))
                .isInstanceOf(FaroException.class)
                .hasMessageContaining("big.pdf is")
                .hasMessageContaining("FARO_MAX_DOCUMENT_BYTES=2048")
                .hasMessageContaining("Set FARO_S3_BUCKET");
    }
}
