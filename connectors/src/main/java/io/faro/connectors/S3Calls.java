package io.faro.connectors;

import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * What the connectors need to know of a failed S3 call, past the attempts of the SDK's own retry strategy: S3's
 * words for it, whether it may pass, and a way to call again with a backoff while it may.
 */
public final class S3Calls {

    private static final long FIRST_RETRY_MS = 1_000;
    private static final long LONGEST_RETRY_MS = 30_000;

    private S3Calls() {
    }

    /** S3's status and error code, or what failed before it answered; for logs and messages. */
    public static String reason(Throwable e) {
        if (e instanceof AwsServiceException service) {
            return service.statusCode() + (service.awsErrorDetails() == null || service.awsErrorDetails().errorCode() == null
                    ? "" : " " + service.awsErrorDetails().errorCode());
        }
        if (e instanceof SdkException sdk) {
            return sdk.getMessage();
        }
        return String.valueOf(e);
    }

    /**
     * Whether a call may succeed if made again: no answer at all (a timeout, a broken connection), throttling as the
     * SDK recognises it (429, {@code SlowDown} and the like), a 5xx, or a clock skew. A refusal (403, 404, another
     * 4xx) will not pass by waiting, nor will credentials that no provider of the SDK's chain has.
     */
    public static boolean isTransient(SdkException e) {
        if (e instanceof SdkServiceException service) {
            return service.isThrottlingException() || service.isClockSkewException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException && !noCredentials(e);
    }

    /** The SDK says so in words only: its chain found no credentials anywhere (no variable, no role, no profile). */
    private static boolean noCredentials(SdkException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials");
    }

    /**
     * Makes the call, and makes it again after an exponential backoff (1 to 30 seconds) while it fails transiently,
     * for at most {@code patience}; a permanent failure, or the last transient one, is thrown.
     */
    public static <T> T retrying(Supplier<T> call, Duration patience) {
        ExponentialBackOff backOff = new ExponentialBackOff(FIRST_RETRY_MS, 2.0);
        backOff.setMaxInterval(LONGEST_RETRY_MS);
        backOff.setMaxElapsedTime(patience.toMillis());
        BackOffExecution execution = backOff.start();
        while (true) {
            try {
                return call.get();
            } catch (SdkException e) {
                long wait = isTransient(e) ? execution.nextBackOff() : BackOffExecution.STOP;
                if (wait == BackOffExecution.STOP) {
                    throw e;
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
