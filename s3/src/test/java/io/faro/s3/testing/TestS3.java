package io.faro.s3.testing;

import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.S3RetryMode;
import io.faro.core.config.FaroConfig.S3Settings;
import io.faro.s3.S3Clients;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * An S3 server in the test JVM: S3Proxy over an in-memory (jclouds {@code transient}) blob store, on 127.0.0.1
 * with a random port, behind a small proxy that injects faults ({@link #faults()}). Clients talk to the proxy
 * ({@link #endpoint()}), so what they see is what a real S3 would send, throttling and errors included. Start one
 * per test class and close it after:
 *
 * <pre>{@code
 * static TestS3 s3;
 * @BeforeAll static void start() { s3 = TestS3.start(); s3.createBucket("docs"); }
 * @AfterAll static void stop() { s3.close(); }
 * }</pre>
 *
 * S3Proxy checks no signatures here (the proxy in front changes the Host header a signature covers), so any
 * credentials do; the AWS SDK signs as it would for AWS.
 */
public final class TestS3 implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "faro-test-access";
    public static final String SECRET_KEY = "faro-test-secret";

    private final BlobStoreContext blobs;
    private final S3Proxy server;
    private final S3FaultProxy proxy;
    private final S3Client client;

    private TestS3(BlobStoreContext blobs, S3Proxy server, S3FaultProxy proxy) {
        this.blobs = blobs;
        this.server = server;
        this.proxy = proxy;
        // straight to S3Proxy: a test's own setup and checks never meet the faults it injects
        this.client = S3Clients.create(new S3Settings("unused", Optional.of(REGION), Optional.of(proxy.upstream()),
                true, 10_000, 1, S3RetryMode.STANDARD, 1, FaroConfig.DEFAULT_S3_MAX_OBJECT_BYTES), credentials());
    }

    public static TestS3 start() {
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class);
        S3Proxy server = S3Proxy.builder().blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        try {
            server.start();
            S3FaultProxy proxy = S3FaultProxy.start(URI.create("http://127.0.0.1:" + server.getPort()));
            return new TestS3(blobs, server, proxy);
        } catch (Exception e) {
            blobs.close();
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    /** Where clients reach this S3: the fault proxy. */
    public URI endpoint() {
        return proxy.uri();
    }

    public S3FaultProxy faults() {
        return proxy;
    }

    /** FARO's settings for this server, with {@code bucket} as FARO's bucket. */
    public S3Settings settings(String bucket, int timeoutMs, int maxAttempts) {
        return new S3Settings(bucket, Optional.of(REGION), Optional.of(endpoint()), true, timeoutMs, maxAttempts,
                S3RetryMode.STANDARD, 4, FaroConfig.DEFAULT_S3_MAX_OBJECT_BYTES);
    }

    /** The environment of a FARO process that uses this server (credentials through the SDK's default chain). */
    public Map<String, String> env(String bucket) {
        return Map.of(FaroConfig.S3_BUCKET, bucket,
                FaroConfig.S3_ENDPOINT, endpoint().toString(),
                FaroConfig.S3_REGION, REGION,
                "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** A client for the test's own setup and checks, straight to the server (no faults), one attempt per call. */
    public S3Client client() {
        return client;
    }

    public void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    public void put(String bucket, String key, byte[] bytes) {
        client.putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromBytes(bytes));
    }

    public void delete(String bucket, String key) {
        client.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public void close() {
        client.close();
        proxy.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        } finally {
            blobs.close();
        }
    }
}
