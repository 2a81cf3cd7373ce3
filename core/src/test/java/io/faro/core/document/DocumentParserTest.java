package io.faro.core.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.model.Document;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentParserTest {

    private static final int LIMIT = 4_096;

    private final DocumentParser parser = new DocumentParser(LIMIT);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldParseValidDocumentWithNestedAndNullMetadata() {
        // given
        String json = """
                {"id":"doc-1","title":"Lighthouses","text":"FARO means lighthouse.",
                 "metadata":{"lang":"en","pages":3,"tags":["a","b"],"source":{"kind":"wiki","rev":7},"author":null}}
                """;

        // when
        Document doc = parser.parse(utf8("doc-1"), utf8(json));

        // then
        assertThat(doc.id()).isEqualTo("doc-1");
        assertThat(doc.title()).isEqualTo("Lighthouses");
        assertThat(doc.text()).isEqualTo("FARO means lighthouse.");
        assertThat(doc.metadata())
                .containsEntry("lang", "en")
                .containsEntry("pages", 3)
                .containsEntry("tags", List.of("a", "b"))
                .containsEntry("source", Map.of("kind", "wiki", "rev", 7))
                .containsKey("author");
        assertThat(doc.metadata().get("author")).isNull();
        assertThat(doc.metadata()).hasSize(5);
    }

    @Test
    void shouldReturnEmptyMetadataWhenMissing() {
        // given
        String json = "{\"id\":\"d\",\"text\":\"hello\"}";

        // when
        Document doc = parser.parse(utf8("d"), utf8(json));

        // then
        assertThat(doc.metadata()).isEmpty();
    }

    @Test
    void shouldDefaultTitleToIdWhenMissing() {
        // given
        String json = "{\"id\":\"doc-2\",\"text\":\"hello\"}";

        // when
        Document doc = parser.parse(utf8("doc-2"), utf8(json));

        // then
        assertThat(doc.title()).isEqualTo("doc-2");
    }

    @Test
    void shouldDefaultTitleToIdWhenBlank() {
        // given
        String json = "{\"id\":\"doc-3\",\"title\":\"   \",\"text\":\"hello\"}";

        // when
        Document doc = parser.parse(utf8("doc-3"), utf8(json));

        // then
        assertThat(doc.title()).isEqualTo("doc-3");
    }

    @Test
    void shouldAcceptNullKey() {
        // given
        String json = "{\"id\":\"doc-4\",\"text\":\"hello\"}";

        // when
        Document doc = parser.parse(null, utf8(json));

        // then
        assertThat(doc.id()).isEqualTo("doc-4");
        assertThat(doc.text()).isEqualTo("hello");
    }

    @Test
    void shouldRejectInvalidJson() {
        // given
        byte[] value = utf8("{\"id\":\"d\",\"text\":");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageStartingWith("document is not valid JSON")
                .extracting(e -> ((InvalidDocumentException) e).kind()).isEqualTo(InvalidDocumentException.Kind.NOT_JSON);
    }

    @Test
    void shouldRejectADocumentThatNamesAFieldTwice() {
        // given: which text is meant? parsers differ in the one they keep
        byte[] value = utf8("{\"id\":\"d\",\"text\":\"one\",\"text\":\"two\"}");

        // when / then
        assertThatThrownBy(() -> parser.parse(utf8("d"), value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageContaining("Duplicate field 'text'");
    }

    @Test
    void shouldRejectJsonArrayInsteadOfObject() {
        // given
        byte[] value = utf8("[{\"id\":\"d\",\"text\":\"hello\"}]");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageContaining("must be a JSON object")
                .hasMessageContaining("ARRAY")
                .extracting(e -> ((InvalidDocumentException) e).kind()).isEqualTo(InvalidDocumentException.Kind.CONTRACT);
    }

    @Test
    void shouldRejectMissingId() {
        // given
        byte[] value = utf8("{\"text\":\"hello\"}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessage("'id' is missing");
    }

    @Test
    void shouldRejectBlankId() {
        // given
        byte[] value = utf8("{\"id\":\"  \",\"text\":\"hello\"}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageContaining("'id' must be 1 to 1024 characters");
    }

    @Test
    void shouldAcceptIdOfExactlyMaxLength() {
        // given
        String id = "x".repeat(DocumentParser.MAX_ID_LENGTH);
        byte[] value = utf8("{\"id\":\"" + id + "\",\"text\":\"hello\"}");

        // when
        Document doc = parser.parse(utf8(id), value);

        // then
        assertThat(doc.id()).hasSize(1_024);
    }

    @Test
    void shouldRejectIdLongerThanMaxLength() {
        // given
        String id = "x".repeat(DocumentParser.MAX_ID_LENGTH + 1);
        byte[] value = utf8("{\"id\":\"" + id + "\",\"text\":\"hello\"}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageContaining("'id' must be 1 to 1024 characters");
    }

    @Test
    void shouldRejectNonStringId() {
        // given
        byte[] value = utf8("{\"id\":42,\"text\":\"hello\"}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessage("'id' must be a string, got NUMBER");
    }

    @Test
    void shouldRejectNonStringText() {
        // given
        byte[] value = utf8("{\"id\":\"d\",\"text\":{\"body\":\"hello\"}}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessage("'text' must be a string, got OBJECT");
    }

    @Test
    void shouldRejectMissingText() {
        // given
        byte[] value = utf8("{\"id\":\"d\",\"title\":\"t\"}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageStartingWith("'text' is missing");
    }

    @Test
    void shouldRejectNullText() {
        // given
        byte[] value = utf8("{\"id\":\"d\",\"text\":null}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageStartingWith("'text' is missing");
    }

    @Test
    void shouldRejectBlankText() {
        // given
        byte[] value = utf8("{\"id\":\"d\",\"text\":\" \\n\\t \"}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessage("'text' is empty");
    }

    @Test
    void shouldRejectTextWithNulCharacter() {
        // given
        byte[] value = utf8("{\"id\":\"d\",\"text\":\"before\\u0000after\"}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessage("'text' contains NUL characters");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "{\"id\":\"d\",\"title\":\"a\\u0000b\",\"text\":\"t\"}|title",
            "{\"id\":\"d\",\"text\":\"t\",\"metadata\":{\"k\":\"a\\u0000b\"}}|metadata"})
    void shouldRejectNulCharacterInAnyStoredField(String json, String field) {
        assertThatThrownBy(() -> parser.parse(null, utf8(json)))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessage("'" + field + "' contains NUL characters");
    }

    @Test
    void shouldRejectNonStringTitle() {
        // given
        byte[] value = utf8("{\"id\":\"d\",\"title\":[\"t\"],\"text\":\"hello\"}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessage("'title' must be a string, got ARRAY");
    }

    @Test
    void shouldRejectMetadataThatIsNotAnObject() {
        // given
        byte[] value = utf8("{\"id\":\"d\",\"text\":\"hello\",\"metadata\":[1,2]}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessage("'metadata' must be a JSON object, got ARRAY");
    }

    @Test
    void shouldRejectDocumentWhoseKeyDiffersFromId() {
        // given
        byte[] value = utf8("{\"id\":\"doc-a\",\"text\":\"hello\"}");

        // when / then
        assertThatThrownBy(() -> parser.parse(utf8("doc-b"), value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessage("record key 'doc-b' differs from the document id 'doc-a'");
    }

    @Test
    void shouldRejectBodyOverTheSizeLimit() {
        // given a valid document one byte over the limit
        String prefix = "{\"id\":\"d\",\"text\":\"";
        String suffix = "\"}";
        String text = "a".repeat(LIMIT + 1 - prefix.length() - suffix.length());
        byte[] value = utf8(prefix + text + suffix);
        assertThat(value).hasSize(LIMIT + 1);

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageContaining("4097 bytes")
                .hasMessageContaining("limit of 4096")
                .hasMessageContaining("FARO_MAX_DOCUMENT_BYTES")
                .extracting(e -> ((InvalidDocumentException) e).kind()).isEqualTo(InvalidDocumentException.Kind.TOO_LARGE);
    }

    @Test
    void shouldAcceptBodyExactlyAtTheSizeLimit() {
        // given
        String prefix = "{\"id\":\"d\",\"text\":\"";
        String suffix = "\"}";
        String text = "a".repeat(LIMIT - prefix.length() - suffix.length());
        byte[] value = utf8(prefix + text + suffix);

        // when
        Document doc = parser.parse(null, value);

        // then
        assertThat(value).hasSize(LIMIT);
        assertThat(doc.text()).isEqualTo(text);
    }

    @Test
    void shouldRejectInvalidUtf8Bytes() {
        // given a string value holding bytes that are not UTF-8
        byte[] head = utf8("{\"id\":\"d\",\"text\":\"caf");
        byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF};
        byte[] tail = utf8("\"}");
        byte[] value = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, value, 0, head.length);
        System.arraycopy(bad, 0, value, head.length, bad.length);
        System.arraycopy(tail, 0, value, head.length + bad.length, tail.length);

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageStartingWith("document is not valid JSON")
                .hasMessageContaining("UTF-8");
    }

    @Test
    void shouldRejectTrailingGarbageAfterTheObject() {
        // given
        byte[] value = utf8("{\"id\":\"d\",\"text\":\"hello\"} garbage");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageStartingWith("document is not valid JSON");
    }

    @Test
    void shouldRejectASecondObjectAfterTheFirst() {
        // given
        byte[] value = utf8("{\"id\":\"d\",\"text\":\"hello\"}{\"id\":\"e\",\"text\":\"world\"}");

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageStartingWith("document is not valid JSON");
    }

    @Test
    void shouldRejectEmptyBody() {
        // given
        byte[] value = new byte[0];

        // when / then
        assertThatThrownBy(() -> parser.parse(null, value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessage("document is empty");
    }

    @Test
    void shouldReadInlineContentWithItsContentType() {
        byte[] pdf = {'%', 'P', 'D', 'F', '-', '1', '.', '7'};
        String json = "{\"id\":\"a.pdf\",\"content_base64\":\"" + java.util.Base64.getEncoder().encodeToString(pdf)
                + "\",\"content_type\":\"application/pdf\"}";

        Document doc = parser.parse(utf8("a.pdf"), utf8(json));

        assertThat(doc.content()).isEqualTo(new Document.Inline(pdf, "application/pdf"));
        assertThat(doc.title()).isEqualTo("a.pdf");
    }

    @Test
    void shouldReadAClaimCheckWithVersionAndChecksum() {
        String sha = "ab".repeat(32);
        String json = "{\"id\":\"big.pdf\",\"content_ref\":\"s3://docs/reports/big.pdf\",\"content_version\":\"v7\","
                + "\"content_sha256\":\"" + sha.toUpperCase(java.util.Locale.ROOT) + "\"}";

        Document doc = parser.parse(null, utf8(json));

        assertThat(doc.content()).isEqualTo(new Document.Reference(
                new ContentRef("docs", "reports/big.pdf", java.util.Optional.of("v7"), java.util.Optional.of(sha)),
                java.util.Optional.empty()));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "{\"id\":\"d\",\"text\":\"t\",\"content_ref\":\"s3://b/k\"}|give exactly one of 'text', 'content_base64' and 'content_ref', not 'text' and 'content_ref'",
            "{\"id\":\"d\",\"content_base64\":\"AAAA\"}|'content_type' is missing",
            "{\"id\":\"d\",\"content_base64\":\"AAAA\",\"content_type\":\"pdf\"}|'content_type' must be a MIME type",
            "{\"id\":\"d\",\"content_base64\":\"***\",\"content_type\":\"application/pdf\"}|'content_base64' is not base64",
            "{\"id\":\"d\",\"content_base64\":\"\",\"content_type\":\"application/pdf\"}|'content_base64' is empty",
            "{\"id\":\"d\",\"content_ref\":\"https://b/k\"}|'content_ref' must look like s3://bucket/key",
            "{\"id\":\"d\",\"content_ref\":\"s3://b/k\",\"content_sha256\":\"xyz\"}|'content_sha256' must be 64 hexadecimal digits"})
    void shouldRejectBinaryContentThatBreaksTheContract(String json, String reason) {
        assertThatThrownBy(() -> parser.parse(null, utf8(json)))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageStartingWith(reason)
                .extracting(e -> ((InvalidDocumentException) e).kind()).isEqualTo(InvalidDocumentException.Kind.CONTRACT);
    }

    @Test
    void shouldWriteEachKindOfContentAsTheSchemaSpellsIt() throws Exception {
        var mapper = io.faro.core.json.Json.mapper();
        Document inline = Document.inline("a.pdf", "A", new byte[] {1, 2, 3}, "application/pdf", Map.of("k", "v"));
        Document text = new Document("t", "T", "hello", Map.of());

        assertThat(mapper.writeValueAsString(inline)).isEqualTo(
                "{\"id\":\"a.pdf\",\"title\":\"A\",\"content_base64\":\"AQID\",\"content_type\":\"application/pdf\",\"metadata\":{\"k\":\"v\"}}");
        assertThat(mapper.writeValueAsString(text)).isEqualTo("{\"id\":\"t\",\"title\":\"T\",\"text\":\"hello\",\"metadata\":{}}");
        // and what is written reads back as the same document
        assertThat(parser.parse(null, mapper.writeValueAsBytes(inline))).isEqualTo(inline);
        assertThat(parser.parse(null, mapper.writeValueAsBytes(text))).isEqualTo(text);
    }

    @Test
    void shouldReadTenantAndAclAndKeyTheDocumentByTenantAndId() {
        byte[] value = utf8("{\"id\":\"memo\",\"text\":\"hello\",\"tenant\":\"acme\",\"acl\":[\"hr\",\"board\",\"hr\"]}");

        Document document = parser.parse(utf8("acme\u001Fmemo"), value);

        assertThat(document.tenant()).isEqualTo("acme");
        assertThat(document.acl()).containsExactly("board", "hr");
        assertThat(document.key()).isEqualTo("acme\u001Fmemo");
    }

    @Test
    void shouldPutADocumentWithoutTenantInTheDefaultTenantKeyedByItsBareId() {
        Document document = parser.parse(utf8("memo"), utf8("{\"id\":\"memo\",\"text\":\"hello\"}"));

        assertThat(document.tenant()).isEqualTo("default");
        assertThat(document.acl()).isEmpty();
        assertThat(document.key()).isEqualTo("memo");
    }

    @Test
    void shouldRejectATenantsDocumentKeyedByItsBareId() {
        byte[] value = utf8("{\"id\":\"memo\",\"text\":\"hello\",\"tenant\":\"acme\"}");

        assertThatThrownBy(() -> parser.parse(utf8("memo"), value))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageContaining("differs from the document id 'memo' in tenant 'acme'");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "{\"id\":\"d\",\"text\":\"t\",\"tenant\":\"Acme\"}|a tenant is 1 to 63 lower-case letters",
        "{\"id\":\"d\",\"text\":\"t\",\"tenant\":\"\"}|a tenant is 1 to 63",
        "{\"id\":\"d\",\"text\":\"t\",\"tenant\":7}|'tenant' must be a string",
        "{\"id\":\"d\",\"text\":\"t\",\"acl\":\"hr\"}|'acl' must be an array of group names",
        "{\"id\":\"d\",\"text\":\"t\",\"acl\":[1]}|'acl' must hold group names",
        "{\"id\":\"d\",\"text\":\"t\",\"acl\":[\" \"]}|an acl group is 1 to 256 characters",
        "{\"id\":\"a\\u001Fb\",\"text\":\"t\"}|'id' must not hold control characters (U+001F found)",
        "{\"id\":\"a\\u0000b\",\"text\":\"t\"}|'id' must not hold control characters (U+0000 found)"
    })
    void shouldRejectABadTenantAclOrIdNamingTheRule(String row) {
        String[] parts = row.split("\\|");

        assertThatThrownBy(() -> parser.parse(null, utf8(parts[0])))
                .isInstanceOf(InvalidDocumentException.class)
                .hasMessageContaining(parts[1]);
    }
}
