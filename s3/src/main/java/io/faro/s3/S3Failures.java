package io.faro.s3;

import io.faro.core.document.ContentRef;
import io.faro.core.document.ContentUnavailableException;
import io.faro.core.document.ContentUnavailableException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Says whether a failed S3 call may succeed later. Throttling, 5xx, timeouts, broken connections and
 * credentials that cannot be had right now are transient: the caller retries them with backoff. A missing
 * bucket, object or version, a refused access and any other 4xx are permanent: the object will not appear
 * by asking again, so the document is dead-lettered with the reason.
 */
final class S3Failures {

    /** 4xx codes S3 gives for a problem of the moment: expired credentials (refreshed), a clock skewed, a slow upload. */
    private static final Set<String> TRANSIENT_CLIENT_CODES = Set.of("RequestTimeout", "ExpiredToken",
            "RequestExpired", "RequestTimeTooSkewed", "TokenRefreshRequired", "SlowDown", "Throttling",
            "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded");

    private S3Failures() {
    }

    static ContentUnavailableException classify(ContentRef ref, SdkException e) {
        if (e instanceof AwsServiceException service) {
            return service(ref, service);
        }
        if (e instanceof AbortedException || e.getCause() instanceof InterruptedException
                || e.getCause() instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            return new ContentUnavailableException(Kind.TRANSIENT, ref + ": the fetch was interrupted", e);
        }
        // SdkClientException: no answer at all. A timeout, a refused or broken connection, a DNS failure, or
        // credentials that cannot be loaded at the moment: all may pass.
        String what = e instanceof SdkClientException ? "no answer from S3" : "S3 call failed";
        return new ContentUnavailableException(Kind.TRANSIENT, ref + ": " + what + " (" + e.getMessage() + ")", e);
    }

    static ContentUnavailableException reading(ContentRef ref, IOException e) {
        return new ContentUnavailableException(Kind.TRANSIENT, ref + ": reading the object broke off ("
                + e.getMessage() + ")", e);
    }

    private static ContentUnavailableException service(ContentRef ref, AwsServiceException e) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String detail = (code == null ? "HTTP " + status : code + ", HTTP " + status);
        if (e.isThrottlingException() || status == 429 || status >= 500 && status != 501
                || code != null && TRANSIENT_CLIENT_CODES.contains(code)) {
            return new ContentUnavailableException(Kind.TRANSIENT, ref + ": S3 is unavailable or throttling ("
                    + detail + ")", e);
        }
        return new ContentUnavailableException(Kind.PERMANENT, ref + ": " + permanentReason(code, status)
                + " (" + detail + ")", e);
    }

    private static String permanentReason(String code, int status) {
        if (code != null) {
            switch (code) {
                case "NoSuchKey":
                    return "no such object";
                case "NoSuchBucket":
                    return "no such bucket";
                case "NoSuchVersion":
                    return "no such version of the object";
                case "AccessDenied":
                    return "access denied: FARO's credentials may not use this object";
                case "InvalidArgument":
                    return "S3 refused the request as invalid (e.g. a malformed version id)";
                case "NotImplemented":
                    return "this S3 server cannot do what the claim check asks (e.g. object versions)";
                default:
                    break;
            }
        }
        return switch (status) {
            case 404 -> "no such bucket, object or version";
            case 403 -> "access denied: FARO's credentials may not use this object";
            default -> "S3 refused the request";
        };
    }
}
