package io.faro.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.document.ContentRef;
import io.faro.s3.testing.TestS3;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

class ClaimCheckUploaderTest {

    private static final String BUCKET = "faro";

    private static TestS3 s3;
    private static S3Client client;

    @BeforeAll
    static void start() {
        s3 = TestS3.start();
        s3.createBucket(BUCKET);
        client = S3Clients.create(s3.settings(BUCKET, 5_000, 1), s3.credentials());
    }

    @AfterAll
    static void stop() {
        client.close();
        s3.close();
    }

    @Test
    void shouldUploadUnderTheDocumentsKeyAndReturnAClaimCheckTheFetcherHonours() {
        // given
        byte[] bytes = "a large manual".repeat(1_000).getBytes(StandardCharsets.UTF_8);

        // when
        ContentRef ref = new ClaimCheckUploader(client, BUCKET).upload("manuals/pump.pdf", bytes, "application/pdf");

        // then
        assertThat(ref.uri()).isEqualTo("s3://faro/documents/manuals/pump.pdf");
        assertThat(ref.sha256()).hasValue(Sha256.hex(bytes));
        assertThat(new S3ContentFetcher(client).fetch(ref, bytes.length)).isEqualTo(bytes);
        assertThat(s3.client().headObject(b -> b.bucket(BUCKET).key("documents/manuals/pump.pdf")).contentType())
                .isEqualTo("application/pdf");
    }

    @Test
    void shouldReplaceTheObjectOfTheSameDocument() {
        // given
        ClaimCheckUploader uploader = new ClaimCheckUploader(client, BUCKET);
        uploader.upload("handbook.md", "first".getBytes(StandardCharsets.UTF_8), "text/markdown");

        // when
        ContentRef second = uploader.upload("handbook.md", "second".getBytes(StandardCharsets.UTF_8), "text/markdown");

        // then
        assertThat(new S3ContentFetcher(client).fetch(second, 100)).asString(StandardCharsets.UTF_8).isEqualTo("second");
    }

    @Test
    void shouldHashAnIdTooLongForAnS3Key() {
        // given
        String id = "x".repeat(1_020);

        // when
        String key = ClaimCheckUploader.keyFor(id);

        // then
        assertThat(key).isEqualTo("documents/sha256/" + Sha256.hex(id.getBytes(StandardCharsets.UTF_8)));
        assertThat(ClaimCheckUploader.keyFor("a/b.pdf")).isEqualTo("documents/a/b.pdf");
    }

    @Test
    void shouldUploadUnderTheGivenPrefix() {
        // when
        ContentRef ref = new ClaimCheckUploader(client, BUCKET, ClaimCheckUploader.UPLOADS_PREFIX)
                .upload("notes/a.txt", "hello".getBytes(StandardCharsets.UTF_8), "text/plain");

        // then
        assertThat(ref.key()).isEqualTo("documents/uploads/notes/a.txt");
        assertThat(new S3ContentFetcher(client).fetch(ref, 100)).asString(StandardCharsets.UTF_8).isEqualTo("hello");
    }
}
