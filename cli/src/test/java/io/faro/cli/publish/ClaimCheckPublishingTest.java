package io.faro.cli.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.FaroException;
import io.faro.core.json.Json;
import io.faro.core.json.JsonSerde;
import io.faro.core.model.Document;
import io.faro.s3.S3Clients;
import io.faro.s3.Sha256;
import io.faro.s3.testing.TestS3;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClaimCheckPublishingTest {

    private static final String BUCKET = "faro";
    private static final int LIMIT = 1_024;

    private static TestS3 s3;

    @BeforeAll
    static void start() {
        s3 = TestS3.start();
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private static ClaimCheckPublishing withS3() {
        return new ClaimCheckPublishing(LIMIT, Optional.of(s3.settings(BUCKET, 5_000, 1)),
                settings -> S3Clients.create(settings, s3.credentials()));
    }

    private static byte[] json(Document document) {
        return JsonSerde.of(Document.class).serializer().serialize("t", document);
    }

    @Test
    void shouldPublishADocumentThatFitsAsItIs() {
        // given
        byte[] value = json(new Document("small.md", "Small", "# Small", Map.of()));

        // when / then
        try (ClaimCheckPublishing publishing = withS3()) {
            assertThat(publishing.fit("small.md", value)).isEqualTo(value);
        }
        assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("documents/small")).contents()).isEmpty();
    }

    @Test
    void shouldUploadADocumentTooLargeAndPublishItsClaimCheck() throws IOException {
        // given
        String text = "# Large\n\n" + "A long paragraph about lighthouses. ".repeat(60);
        Document large = new Document("docs/large.md", "Large", text, Map.of("content_type", "text/markdown"));

        // when
        JsonNode claimCheck;
        try (ClaimCheckPublishing publishing = withS3()) {
            claimCheck = Json.mapper().readTree(publishing.fit("docs/large.md", json(large)));
        }

        // then
        byte[] uploaded = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key("documents/docs/large.md")).asByteArray();
        assertThat(new String(uploaded, StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(claimCheck.get("id").textValue()).isEqualTo("docs/large.md");
        assertThat(claimCheck.get("title").textValue()).isEqualTo("Large");
        assertThat(claimCheck.get("content_ref").textValue()).isEqualTo("s3://faro/documents/docs/large.md");
        assertThat(claimCheck.get("content_sha256").textValue()).isEqualTo(Sha256.hex(uploaded));
        assertThat(claimCheck.get("content_type").textValue()).isEqualTo("text/markdown");
        assertThat(claimCheck.has("text")).isFalse();
        assertThat(claimCheck.get("metadata").get("content_type").textValue()).isEqualTo("text/markdown");
    }

    @Test
    void shouldUploadTheBytesOfAnInlineBinaryDocument() throws IOException {
        // given: a document as faro publish writes a binary file, its bytes inline
        byte[] pdf = new byte[2_000];
        pdf[0] = '%';
        String value = "{\"id\":\"manual.pdf\",\"content_base64\":\""
                + java.util.Base64.getEncoder().encodeToString(pdf) + "\",\"content_type\":\"application/pdf\"}";

        // when
        JsonNode claimCheck;
        try (ClaimCheckPublishing publishing = withS3()) {
            claimCheck = Json.mapper().readTree(publishing.fit("manual.pdf", value.getBytes(StandardCharsets.UTF_8)));
        }

        // then
        assertThat(s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key("documents/manual.pdf")).asByteArray())
                .isEqualTo(pdf);
        assertThat(claimCheck.has("content_base64")).isFalse();
        assertThat(claimCheck.get("content_type").textValue()).isEqualTo("application/pdf");
        assertThat(claimCheck.get("content_sha256").textValue()).isEqualTo(Sha256.hex(pdf));
    }

    @Test
    void shouldSayToSetTheBucketWhenADocumentIsTooLargeWithoutS3() {
        // given
        byte[] value = json(new Document("large.md", "Large", "x".repeat(2 * LIMIT), Map.of()));

        // when / then
        try (ClaimCheckPublishing publishing = new ClaimCheckPublishing(LIMIT, Optional.empty(), settings -> {
            throw new AssertionError("no S3 client without S3 settings");
        })) {
            assertThatThrownBy(() -> publishing.fit("large.md", value)).isInstanceOf(FaroException.class)
                    .hasMessageContaining("large.md").hasMessageContaining("FARO_MAX_DOCUMENT_BYTES=1024")
                    .hasMessageContaining("Set FARO_S3_BUCKET");
        }
    }
}
