package io.faro.core.document;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DocumentFormatTest {

    @Test
    void shouldKnowAFormatByItsContentTypeWhateverItsCaseParametersOrAlias() {
        assertThat(DocumentFormat.ofContentType("Application/PDF")).contains(DocumentFormat.PDF);
        assertThat(DocumentFormat.ofContentType("application/x-pdf")).contains(DocumentFormat.PDF);
        assertThat(DocumentFormat.ofContentType("text/markdown; charset=UTF-8")).contains(DocumentFormat.MARKDOWN);
        assertThat(DocumentFormat.ofContentType(" text/html ;charset=iso-8859-1")).contains(DocumentFormat.HTML);
    }

    @Test
    void shouldKnowNoFormatFaroDoesNotTake() {
        assertThat(DocumentFormat.ofContentType("image/png")).isEmpty();
        assertThat(DocumentFormat.ofContentType(DocumentFormat.OCTET_STREAM)).isEmpty();
        assertThat(DocumentFormat.ofContentType("")).isEmpty();
    }

    @Test
    void shouldTellTextFormatsFromParsedOnes() {
        assertThat(DocumentFormat.TEXT.isPlainText()).isTrue();
        assertThat(DocumentFormat.MARKDOWN.isPlainText()).isTrue();
        assertThat(DocumentFormat.HTML.isPlainText()).as("HTML is parsed for its text and headings").isFalse();
        assertThat(DocumentFormat.PDF.isPlainText()).isFalse();
    }

    @Test
    void shouldKnowEveryFormatByAFileNameExtension() {
        assertThat(DocumentFormat.ofFileName("handbook/Report.PDF")).contains(DocumentFormat.PDF);
        assertThat(DocumentFormat.ofFileName("slides.pptx")).contains(DocumentFormat.PPTX);
        assertThat(DocumentFormat.ofFileName("notes.md")).contains(DocumentFormat.MARKDOWN);
        assertThat(DocumentFormat.ofFileName("photo.png")).isEmpty();
        assertThat(DocumentFormat.ofFileName("README")).isEmpty();
        for (DocumentFormat format : DocumentFormat.values()) {
            assertThat(format.extensions()).allSatisfy(extension ->
                    assertThat(DocumentFormat.ofFileName("a" + extension)).contains(format));
        }
    }
}
