package io.faro.topology.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.document.ContentRef;
import io.faro.core.document.InvalidDocumentException;
import io.faro.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClaimChecksTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldFindNoClaimCheckInAnInlineDocumentOrInJunk() {
        assertThat(ClaimChecks.find(utf8("{\"id\":\"a\",\"text\":\"content_ref is only a word here\"}"))).isEmpty();
        assertThat(ClaimChecks.find(utf8("not json \"content_ref\""))).isEmpty();
        assertThat(ClaimChecks.find(utf8("{\"id\":\"a\",\"content_ref\":null,\"text\":\"t\"}"))).isEmpty();
    }

    @Test
    void shouldReadTheReferenceVersionAndChecksum() {
        // given
        String sha = "AB".repeat(32);

        // when
        Optional<ContentRef> ref = ClaimChecks.find(utf8("{\"id\":\"a\",\"content_ref\":\"s3://b/dir/k.pdf\","
                + "\"content_version\":\"v7\",\"content_sha256\":\"" + sha + "\"}"));

        // then
        assertThat(ref).hasValue(new ContentRef("b", "dir/k.pdf", Optional.of("v7"), Optional.of("ab".repeat(32))));
    }

    @Test
    void shouldRefuseMalformedClaimCheckFields() {
        assertThatThrownBy(() -> ClaimChecks.find(utf8("{\"content_ref\":\"http://b/k\"}")))
                .isInstanceOf(InvalidDocumentException.class).hasMessageContaining("s3://bucket/key");
        assertThatThrownBy(() -> ClaimChecks.find(utf8("{\"content_ref\":42}")))
                .isInstanceOf(InvalidDocumentException.class).hasMessageContaining("'content_ref' must be a string");
        assertThatThrownBy(() -> ClaimChecks.find(utf8("{\"content_ref\":\"s3://b/k\",\"content_sha256\":\"xyz\"}")))
                .isInstanceOf(InvalidDocumentException.class).hasMessageContaining("64 hex digits");
    }

    @Test
    void shouldInlineTheBytesInPlaceOfTheClaimCheck() throws IOException {
        // given
        byte[] pdf = {'%', 'P', 'D', 'F', 0, (byte) 0xff};

        // when
        JsonNode document = Json.mapper().readTree(ClaimChecks.inline(utf8("{\"id\":\"a\",\"title\":\"A\","
                + "\"content_ref\":\"s3://b/k\",\"content_version\":\"v1\",\"content_sha256\":\"" + "0".repeat(64)
                + "\",\"content_type\":\"application/pdf\",\"metadata\":{\"x\":1}}"), pdf));

        // then
        assertThat(document.has("content_ref")).isFalse();
        assertThat(document.has("content_version")).isFalse();
        assertThat(document.has("content_sha256")).isFalse();
        assertThat(document.get("content_base64").binaryValue()).isEqualTo(pdf);
        assertThat(document.get("content_type").textValue()).isEqualTo("application/pdf");
        assertThat(document.get("title").textValue()).isEqualTo("A");
        assertThat(document.get("metadata").get("x").intValue()).isEqualTo(1);
    }

    @Test
    void shouldLeaveTheFormatToTheParserWhenTheClaimCheckNamesNone() throws IOException {
        JsonNode document = Json.mapper().readTree(ClaimChecks.inline(utf8("{\"id\":\"a\",\"content_ref\":\"s3://b/k\"}"),
                new byte[] {1}));

        assertThat(document.get("content_type").textValue()).isEqualTo(ClaimChecks.UNKNOWN_TYPE);
    }

    @Test
    void shouldBoundInlineDocumentsByTheirBase64() {
        assertThat(ClaimChecks.inlineDocumentBytes(3, 100)).isEqualTo(104);
        assertThat(ClaimChecks.inlineDocumentBytes(4, 100)).isEqualTo(108);
    }
}
