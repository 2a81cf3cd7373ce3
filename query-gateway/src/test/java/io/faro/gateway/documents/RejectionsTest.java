package io.faro.gateway.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.gateway.documents.Rejections.Rejection;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RejectionsTest {

    private static final long NONE_STORED = -1;

    private static Rejection rejection(String docId, long version, String reason) {
        return new Rejection(docId, version, "parse", reason, Instant.parse("2026-12-02T10:00:00Z"));
    }

    @Test
    void shouldReportTheRejectionOfADocumentNoStoreHolds() {
        Rejections rejections = new Rejections(10);

        rejections.rejected(rejection("a", 7, "'text' is empty"));

        assertThat(rejections.current("a", NONE_STORED)).map(Rejection::reason).contains("'text' is empty");
        assertThat(rejections.current("b", NONE_STORED)).isEmpty();
    }

    @Test
    void shouldReportARejectionNewerThanTheStoredVersionAndNotAnOlderOne() {
        Rejections rejections = new Rejections(10);
        rejections.rejected(rejection("a", 7, "bad"));

        assertThat(rejections.current("a", 5)).as("the stores hold an older version").isPresent();
        assertThat(rejections.current("a", 9)).as("a later version is stored").isEmpty();
    }

    @Test
    void shouldKeepTheLatestVersionsRejectionWhenDeadLettersArriveOutOfOrder() {
        Rejections rejections = new Rejections(10);

        rejections.rejected(rejection("a", 9, "newer"));
        rejections.rejected(rejection("a", 4, "older"));

        assertThat(rejections.current("a", NONE_STORED)).map(Rejection::reason).contains("newer");
    }

    @Test
    void shouldNotReportARejectionOnceThisGatewayPublishedALaterVersion() {
        Rejections rejections = new Rejections(10);
        rejections.rejected(rejection("a", 7, "bad"));

        rejections.published("a", 8);

        assertThat(rejections.current("a", NONE_STORED)).isEmpty();
    }

    @Test
    void shouldReportTheRejectionOfTheVersionThisGatewayPublished() {
        Rejections rejections = new Rejections(10);

        rejections.published("a", 8);
        rejections.rejected(rejection("a", 8, "bad"));

        assertThat(rejections.current("a", NONE_STORED)).map(Rejection::version).contains(8L);
    }

    @Test
    void shouldForgetTheLeastRecentlyRejectedDocumentBeyondItsCapacity() {
        Rejections rejections = new Rejections(2);
        rejections.rejected(rejection("a", 1, "bad"));
        rejections.rejected(rejection("b", 2, "bad"));
        rejections.rejected(rejection("a", 3, "bad again"));

        rejections.rejected(rejection("c", 4, "bad"));

        assertThat(rejections.size()).isEqualTo(2);
        assertThat(rejections.current("b", NONE_STORED)).as("least recently rejected").isEmpty();
        assertThat(rejections.current("a", NONE_STORED)).isPresent();
        assertThat(rejections.current("c", NONE_STORED)).isPresent();
    }

    @Test
    void shouldKeepNothingWithNoCapacity() {
        Rejections rejections = Rejections.none();

        rejections.rejected(rejection("a", 1, "bad"));

        assertThat(rejections.size()).isZero();
        assertThat(rejections.current("a", NONE_STORED)).isEmpty();
    }

    @Test
    void shouldCutAVeryLongReason() {
        Rejection long_ = rejection("a", 1, "x".repeat(5_000));

        assertThat(long_.reason()).hasSize(Rejections.MAX_REASON_CHARS).endsWith("...");
    }
}
