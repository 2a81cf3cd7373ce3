package io.faro.connectors;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** S3's own words for a failed call, for logs and messages: its status and error code, or what failed before it. */
public final class S3Reasons {

    private S3Reasons() {
    }

    public static String of(Throwable e) {
        if (e instanceof AwsServiceException service) {
            return service.statusCode() + (service.awsErrorDetails() == null || service.awsErrorDetails().errorCode() == null
                    ? "" : " " + service.awsErrorDetails().errorCode());
        }
        if (e instanceof SdkException sdk) {
            return sdk.getMessage();
        }
        return String.valueOf(e);
    }
}
