package io.faro.bench.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.model.Document;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavadocTest {

    @Test
    void shouldReadACommentAsProseWithoutItsMarkup() {
        String comment = """
                 * Returns the value to which the specified {@code key} is mapped, or
                 * {@link #getOrDefault(Object, Object) the default} when this map holds no
                 * mapping for the key; see {@link java.util.Map#get}.
                 * <p>A return value of {@code null} does not <em>necessarily</em> indicate &lt;absence&gt;.
                 *
                 * @param key the key whose associated value is to be returned
                 * @return the value, or {@code null}
                 * @since 1.2
                 * @see #put(Object, Object)
                """;

        assertThat(Javadoc.clean(comment)).isEqualTo("Returns the value to which the specified key is mapped, or the"
                + " default when this map holds no mapping for the key; see java.util.Map.get. A return value of null"
                + " does not necessarily indicate <absence>. key the key whose associated value is to be returned the"
                + " value, or null");
    }

    @Test
    void shouldTakeEachSourceFileAsADocumentWithoutCommentsSeenBeforeOrTooShort(@TempDir Path dir) throws IOException {
        String repeated = "/** Compares this object with the specified object for order, as every comparable does. */";
        Path zip = dir.resolve("src.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            entry(out, "java.base/java/util/First.java", repeated + "\nclass First {\n/** Too short to keep. */ int a;\n"
                    + "/** The second comment of the file, long enough to be kept as a paragraph of its own. */ int b; }");
            entry(out, "java.base/java/util/Second.java", repeated + "\nclass Second {}");
            entry(out, "java.base/module-info.java", "/** A module's comment is not a class's, and is left out here. */");
        }

        List<Javadoc.Source> sources = Javadoc.read(zip, 1);

        assertThat(sources).singleElement().satisfies(source -> {
            assertThat(source.document().id()).isEqualTo("javadoc-java.util.First");
            assertThat(source.document().title()).isEqualTo("java.util.First");
            assertThat(((Document.Text) source.document().content()).text()).isEqualTo("Compares this object with the specified object"
                    + " for order, as every comparable does.\n\nThe second comment of the file, long enough to be kept"
                    + " as a paragraph of its own.");
            assertThat(source.firstSentences()).containsExactly(
                    "Compares this object with the specified object for order, as every comparable does.",
                    "The second comment of the file, long enough to be kept as a paragraph of its own.");
        });
    }

    private static void entry(ZipOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
