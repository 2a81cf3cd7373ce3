package io.faro.s3;

import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.S3Settings;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds FARO's one kind of S3 client from its settings: the URL-connection HTTP client with connect and read
 * timeouts, an attempt timeout and an overall call timeout, and the SDK's retry strategy (standard or adaptive)
 * with a bounded number of attempts. Credentials come from the SDK's default chain unless a caller (a test) gives
 * its own; the client never logs them.
 */
public final class S3Clients {

    /** With an S3-compatible endpoint and no region anywhere, the region only names the signing scope. */
    static final Region ENDPOINT_DEFAULT_REGION = Region.US_EAST_1;
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private S3Clients() {
    }

    /** A client with credentials from the SDK's default chain (environment, IRSA web identity, container, instance). */
    public static S3Client create(S3Settings settings) {
        return create(settings, DefaultCredentialsProvider.builder().build());
    }

    public static S3Client create(S3Settings settings, AwsCredentialsProvider credentials) {
        Duration attemptTimeout = Duration.ofMillis(settings.timeoutMs());
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials)
                .region(region(settings))
                .forcePathStyle(settings.pathStyle())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(min(attemptTimeout, MAX_CONNECT_TIMEOUT))
                        .socketTimeout(attemptTimeout))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(retryStrategy(settings))
                        .apiCallAttemptTimeout(attemptTimeout)
                        // every attempt at most, plus room for the backoff between them
                        .apiCallTimeout(attemptTimeout.multipliedBy(settings.maxAttempts()).plusSeconds(30))
                        .build());
        settings.endpoint().ifPresentOrElse(endpoint -> builder.endpointOverride(endpoint)
                        // S3-compatible servers (S3Proxy, older MinIO and Ceph) refuse the flexible checksums the SDK
                        // adds by default since 2.30; send and check them only where an operation requires them
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED),
                // a claim check may name a bucket of another region: follow S3's redirect instead of failing
                () -> builder.crossRegionAccessEnabled(true));
        return builder.build();
    }

    static RetryStrategy retryStrategy(S3Settings settings) {
        RetryStrategy base = switch (settings.retryMode()) {
            case STANDARD -> AwsRetryStrategy.standardRetryStrategy();
            case ADAPTIVE -> AwsRetryStrategy.adaptiveRetryStrategy();
        };
        return base.toBuilder().maxAttempts(settings.maxAttempts()).build();
    }

    private static Region region(S3Settings settings) {
        if (settings.region().isPresent()) {
            return Region.of(settings.region().get());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            if (settings.endpoint().isPresent()) {
                return ENDPOINT_DEFAULT_REGION;
            }
            throw new ConfigException("S3 needs a region: set " + FaroConfig.S3_REGION + " (or AWS_REGION)");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
