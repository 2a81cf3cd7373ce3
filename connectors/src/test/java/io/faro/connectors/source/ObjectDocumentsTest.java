package io.faro.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/** The document of an object, from S3's answers as the SDK models them (S3Proxy keeps no versions). */
class ObjectDocumentsTest {

    private static final ObjectState LISTED = new ObjectState("9b2cf535f27731c974343645a3985328", 2_048,
            "2026-12-02T10:15:30.123Z", null);

    private static JsonNode document(ObjectState state, HeadObjectResponse head, List<Tag> tags) throws IOException {
        return Json.mapper().readTree(ObjectDocuments.document("docs", "reports/q3.pdf", state, head, tags));
    }

    @Test
    void shouldPinTheVersionOfAVersionedBucket() throws IOException {
        // given
        ObjectState versioned = LISTED.withVersion("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrH");
        HeadObjectResponse head = HeadObjectResponse.builder().versionId("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrH")
                .contentType("application/pdf").lastModified(Instant.parse("2026-12-02T10:15:30Z")).build();

        // when
        JsonNode document = document(versioned, head, List.of());

        // then
        assertThat(document.path("content_ref").asText()).isEqualTo("s3://docs/reports/q3.pdf");
        assertThat(document.path("content_version").asText()).isEqualTo("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrH");
        assertThat(document.at("/metadata/s3_version_id").asText()).isEqualTo("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrH");
        // the listing's time, in milliseconds, not the HEAD answer's, in seconds
        assertThat(document.at("/metadata/s3_last_modified").asText()).isEqualTo("2026-12-02T10:15:30.123Z");
    }

    @Test
    void shouldNotPinTheNullVersionOfAnObjectWrittenBeforeVersioning() throws IOException {
        JsonNode document = document(LISTED.withVersion("null"), HeadObjectResponse.builder().versionId("null").build(),
                List.of());

        assertThat(document.has("content_version")).isFalse();
        assertThat(document.path("metadata").has("s3_version_id")).isFalse();
    }

    @Test
    void shouldLetTagsWinOverMetadataAndFarosOwnKeysWinOverBoth() throws IOException {
        // given
        HeadObjectResponse head = HeadObjectResponse.builder()
                .metadata(Map.of("team", "finance", "tenant", "from-metadata", "s3_size", "forged")).build();
        List<Tag> tags = List.of(Tag.builder().key("tenant").value("acme").build());

        // when
        JsonNode metadata = document(LISTED, head, tags).path("metadata");

        // then
        assertThat(metadata.path("team").asText()).isEqualTo("finance");
        assertThat(metadata.path("tenant").asText()).isEqualTo("acme");
        assertThat(metadata.path("s3_size").asLong()).isEqualTo(2_048);
        assertThat(metadata.path("s3_etag").asText()).isEqualTo("9b2cf535f27731c974343645a3985328");
    }

    @Test
    void shouldLeaveOutAContentTypeThatSaysNothingOrBreaksTheContract() throws IOException {
        assertThat(document(LISTED, HeadObjectResponse.builder().contentType("binary/octet-stream").build(), List.of())
                .has("content_type")).isFalse();
        assertThat(document(LISTED, HeadObjectResponse.builder().contentType("not a type").build(), List.of())
                .has("content_type")).isFalse();
        assertThat(document(LISTED, HeadObjectResponse.builder().contentType("text/html; charset=utf-8").build(),
                List.of()).path("content_type").asText()).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void shouldNameTheDocumentByTheObjectsAddressAndHashOneTooLongForAnId() {
        assertThat(ObjectDocuments.documentId("docs", "reports/q3.pdf")).isEqualTo("s3://docs/reports/q3.pdf");
        String longKey = "k".repeat(1_020);
        assertThat(ObjectDocuments.documentId("docs", longKey)).startsWith(ObjectDocuments.HASHED_ID_PREFIX)
                .hasSize(ObjectDocuments.HASHED_ID_PREFIX.length() + 64);
        assertThat(ObjectDocuments.documentId("docs", longKey)).isNotEqualTo(ObjectDocuments.documentId("docs",
                longKey + "x"));
    }

    @Test
    void shouldTitleTheDocumentByTheObjectsFileName() throws IOException {
        assertThat(document(LISTED, HeadObjectResponse.builder().build(), List.of()).path("title").asText())
                .isEqualTo("q3.pdf");
    }
}
