package io.faro.cli.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.FaroException;
import io.faro.core.model.Document;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void shouldExpandDirectoriesRecursivelyKeepingOnlyTextAndMarkdown() throws Exception {
        Files.createDirectories(work.resolve("d/sub"));
        Files.writeString(work.resolve("d/a.md"), "a");
        Files.writeString(work.resolve("d/sub/b.txt"), "b");
        Files.writeString(work.resolve("d/sub/c.png"), "c");

        List<Path> found = new DocumentFiles(work).expand(List.of(work.resolve("d"), work.resolve("d/a.md")));

        assertThat(found).extracting(p -> work.relativize(p).toString()).containsExactly("d/a.md", "d/sub/b.txt");
    }

    @Test
    void shouldRefuseMissingPathsAndNonUtf8Files() throws Exception {
        Path binary = Files.write(work.resolve("bin.txt"), new byte[] {(byte) 0xC3, (byte) 0x28});
        DocumentFiles files = new DocumentFiles(work);

        assertThatThrownBy(() -> files.expand(List.of(work.resolve("nope")))).isInstanceOf(FaroException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> files.read(binary)).isInstanceOf(FaroException.class)
                .hasMessageContaining("not UTF-8");
    }
}
