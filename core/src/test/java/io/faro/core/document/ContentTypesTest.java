package io.faro.core.document;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentTypesTest {

    @Test
    void shouldAcceptAMediaTypeWhateverItsCaseAndParameters() {
        assertThat(ContentTypes.accepted("Application/PDF")).contains(ContentTypes.PDF);
        assertThat(ContentTypes.accepted("text/markdown; charset=UTF-8")).contains(ContentTypes.MARKDOWN);
        assertThat(ContentTypes.accepted(" text/html ;charset=iso-8859-1")).contains(ContentTypes.HTML);
    }

    @Test
    void shouldRefuseFormatsFaroDoesNotTake() {
        assertThat(ContentTypes.accepted("image/png")).isEmpty();
        assertThat(ContentTypes.accepted("application/octet-stream")).isEmpty();
        assertThat(ContentTypes.accepted("")).isEmpty();
    }

    @Test
    void shouldTellTextFormatsFromBinaryOnes() {
        assertThat(ContentTypes.isText("text/plain; charset=utf-8")).isTrue();
        assertThat(ContentTypes.isText(ContentTypes.MARKDOWN)).isTrue();
        assertThat(ContentTypes.isText(ContentTypes.HTML)).as("HTML is parsed for its text and headings").isFalse();
        assertThat(ContentTypes.isText(ContentTypes.PDF)).isFalse();
    }

    @Test
    void shouldKnowEveryAcceptedFormatByAFileNameExtension() {
        assertThat(ContentTypes.ofFileName("handbook/Report.PDF")).contains(ContentTypes.PDF);
        assertThat(ContentTypes.ofFileName("slides.pptx")).contains(ContentTypes.PPTX);
        assertThat(ContentTypes.ofFileName("notes.md")).contains(ContentTypes.MARKDOWN);
        assertThat(ContentTypes.ofFileName("photo.png")).isEmpty();
        assertThat(ContentTypes.ofFileName("README")).isEmpty();
        assertThat(ContentTypes.ACCEPTED).allSatisfy(type ->
                assertThat(java.util.List.of("a.pdf", "a.docx", "a.pptx", "a.xlsx", "a.html", "a.md", "a.txt"))
                        .anySatisfy(name -> assertThat(ContentTypes.ofFileName(name)).contains(type)));
    }
}
