package io.faro.s3;

import io.faro.core.document.ContentFetcher;
import io.faro.core.document.ContentRef;
import io.faro.core.document.ContentUnavailableException;
import io.faro.core.document.ContentUnavailableException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Fetches the bytes of a claim check from S3: the object's given version (else its latest), at most
 * {@code maxBytes} of them, checked against the claim check's SHA-256 when it has one. Every failure says
 * whether it is transient (retry) or permanent (dead-letter), and what was wrong.
 */
public final class S3ContentFetcher implements ContentFetcher {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final S3Client s3;

    public S3ContentFetcher(S3Client s3) {
        this.s3 = Objects.requireNonNull(s3, "s3");
    }

    @Override
    public byte[] fetch(ContentRef ref, long maxBytes) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(ref.bucket()).key(ref.key());
        ref.version().ifPresent(request::versionId);
        byte[] bytes;
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(request.build())) {
            Long length = object.response().contentLength();
            if (length != null && length > maxBytes) {
                object.abort(); // do not read a large body only to throw it away
                throw tooLarge(ref, length, maxBytes);
            }
            bytes = readAtMost(ref, object, maxBytes);
        } catch (SdkException e) {
            throw S3Failures.classify(ref, e);
        } catch (IOException e) {
            throw S3Failures.reading(ref, e);
        }
        ref.sha256().ifPresent(expected -> {
            String actual = Sha256.hex(bytes);
            if (!actual.equalsIgnoreCase(expected)) {
                throw new ContentUnavailableException(Kind.PERMANENT, ref + ": the object's SHA-256 is " + actual
                        + ", not the " + expected + " the claim check names (the object changed since it was"
                        + " published)", null);
            }
        });
        return bytes;
    }

    /** Reads the body, refusing it past {@code maxBytes} even when the length S3 announced was smaller. */
    private static byte[] readAtMost(ContentRef ref, ResponseInputStream<GetObjectResponse> in, long maxBytes)
            throws IOException {
        Long announced = in.response().contentLength();
        ByteArrayOutputStream out = new ByteArrayOutputStream(announced == null ? BUFFER_BYTES
                : (int) Math.min(announced, maxBytes));
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > maxBytes) {
                in.abort();
                throw tooLarge(ref, total, maxBytes);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static ContentUnavailableException tooLarge(ContentRef ref, long bytes, long maxBytes) {
        return new ContentUnavailableException(Kind.PERMANENT, ref + ": the object is " + bytes
                + " bytes or more, over the limit of " + maxBytes + " (FARO_S3_MAX_OBJECT_BYTES)", null);
    }
}
