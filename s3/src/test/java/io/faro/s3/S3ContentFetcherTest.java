package io.faro.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.document.ContentRef;
import io.faro.core.document.ContentUnavailableException;
import io.faro.core.document.ContentUnavailableException.Kind;
import io.faro.s3.testing.S3Fault;
import io.faro.s3.testing.TestS3;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The fetcher against a real S3 protocol server (S3Proxy), spoken to by the real AWS SDK, with faults injected. */
class S3ContentFetcherTest {

    private static final String BUCKET = "claims";
    private static final byte[] PDF = "%PDF-1.4 pretend this is a manual".getBytes(StandardCharsets.UTF_8);

    private static TestS3 s3;
    private static S3Client oneAttempt;
    private static S3Client threeAttempts;

    @BeforeAll
    static void start() {
        s3 = TestS3.start();
        s3.createBucket(BUCKET);
        s3.put(BUCKET, "manuals/pump.pdf", PDF);
        oneAttempt = S3Clients.create(s3.settings(BUCKET, 1_000, 1), s3.credentials());
        threeAttempts = S3Clients.create(s3.settings(BUCKET, 1_000, 3), s3.credentials());
    }

    @AfterAll
    static void stop() {
        oneAttempt.close();
        threeAttempts.close();
        s3.close();
    }

    @AfterEach
    void clearFaults() {
        s3.faults().clear();
    }

    private static ContentRef ref(String key) {
        return new ContentRef(BUCKET, key, Optional.empty(), Optional.empty());
    }

    private static ContentUnavailableException failure(S3Client client, ContentRef ref, long maxBytes) {
        try {
            new S3ContentFetcher(client).fetch(ref, maxBytes);
        } catch (ContentUnavailableException e) {
            return e;
        }
        throw new AssertionError("the fetch of " + ref + " succeeded");
    }

    @Test
    void shouldFetchTheObjectsBytes() {
        assertThat(new S3ContentFetcher(oneAttempt).fetch(ref("manuals/pump.pdf"), 1_024)).isEqualTo(PDF);
    }

    @Test
    void shouldAcceptBytesWhoseSha256MatchesTheClaimCheck() {
        // given
        ContentRef ref = new ContentRef(BUCKET, "manuals/pump.pdf", Optional.empty(), Optional.of(Sha256.hex(PDF)));

        // when / then
        assertThat(new S3ContentFetcher(oneAttempt).fetch(ref, 1_024)).isEqualTo(PDF);
    }

    @Test
    void shouldRefuseBytesWhoseSha256DiffersForGood() {
        // given
        String other = Sha256.hex("another version".getBytes(StandardCharsets.UTF_8));
        ContentRef ref = new ContentRef(BUCKET, "manuals/pump.pdf", Optional.empty(), Optional.of(other));

        // when
        ContentUnavailableException e = failure(oneAttempt, ref, 1_024);

        // then
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e).hasMessageContaining("SHA-256").hasMessageContaining(other).hasMessageContaining("changed");
    }

    @Test
    void shouldRefuseAnObjectOverTheLimitForGood() {
        // when
        ContentUnavailableException e = failure(oneAttempt, ref("manuals/pump.pdf"), 10);

        // then
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e).hasMessageContaining(PDF.length + " bytes").hasMessageContaining("limit of 10")
                .hasMessageContaining("FARO_S3_MAX_OBJECT_BYTES");
    }

    @Test
    void shouldSayAMissingObjectIsGoneForGood() {
        // when
        ContentUnavailableException e = failure(oneAttempt, ref("manuals/deleted.pdf"), 1_024);

        // then
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e).hasMessageContaining("s3://claims/manuals/deleted.pdf").hasMessageContaining("no such object")
                .hasMessageContaining("NoSuchKey");
    }

    @Test
    void shouldSayAMissingBucketIsGoneForGood() {
        // when
        ContentUnavailableException e = failure(oneAttempt,
                new ContentRef("no-such-bucket", "a.pdf", Optional.empty(), Optional.empty()), 1_024);

        // then
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e).hasMessageContaining("no such bucket");
    }

    @Test
    void shouldSayRefusedAccessIsPermanent() {
        // given
        s3.faults().inject(new S3Fault.Error(403, "AccessDenied", "Access Denied"), 1);

        // when
        ContentUnavailableException e = failure(oneAttempt, ref("manuals/pump.pdf"), 1_024);

        // then
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e).hasMessageContaining("access denied");
    }

    @Test
    void shouldSayThrottlingIsTransient() {
        // given
        s3.faults().inject(S3Fault.slowDown(), 1);

        // when
        ContentUnavailableException e = failure(oneAttempt, ref("manuals/pump.pdf"), 1_024);

        // then
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e).hasMessageContaining("SlowDown").hasMessageContaining("503");
    }

    @Test
    void shouldSayAServerErrorIsTransient() {
        // given
        s3.faults().inject(S3Fault.internalError(), 1);

        // when / then
        assertThat(failure(oneAttempt, ref("manuals/pump.pdf"), 1_024).kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void shouldSayATimeoutIsTransient() {
        // given: an answer later than the 1 s attempt timeout
        s3.faults().inject(S3Fault.delay(Duration.ofMillis(2_500)), 1);

        // when
        ContentUnavailableException e = failure(oneAttempt, ref("manuals/pump.pdf"), 1_024);

        // then
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e).hasMessageContaining("no answer from S3");
    }

    @Test
    void shouldSayABrokenConnectionIsTransient() {
        // given: twice, as the JDK's HTTP connection sends a GET once more by itself when a connection drops
        s3.faults().inject(S3Fault.disconnect(), 2);

        // when / then
        assertThat(failure(oneAttempt, ref("manuals/pump.pdf"), 1_024).kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void shouldLetTheSdkRetryStrategyRideOutShortFailures() {
        // given: two failures, and a client allowed three attempts
        int before = s3.faults().requests();
        s3.faults().inject(S3Fault.internalError(), 2);

        // when
        byte[] bytes = new S3ContentFetcher(threeAttempts).fetch(ref("manuals/pump.pdf"), 1_024);

        // then
        assertThat(bytes).isEqualTo(PDF);
        assertThat(s3.faults().requests() - before).isEqualTo(3);
    }

    @Test
    void shouldStopAfterTheConfiguredAttempts() {
        // given
        int before = s3.faults().requests();
        s3.faults().inject(S3Fault.internalError(), 5);

        // when
        ContentUnavailableException e = failure(threeAttempts, ref("manuals/pump.pdf"), 1_024);

        // then
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(s3.faults().requests() - before).isEqualTo(3);
    }
}
