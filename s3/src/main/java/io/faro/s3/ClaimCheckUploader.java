package io.faro.s3;

import io.faro.core.document.ContentRef;
import io.faro.core.document.ContentUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Puts a document's bytes into FARO's bucket for a claim check: under a key derived from the document id (so a
 * new version replaces the old object rather than piling up), and returns the claim check with the object's
 * version id (when the bucket keeps versions) and the bytes' SHA-256, so the ingest fetches exactly these bytes.
 */
public final class ClaimCheckUploader {

    /**
     * Where documents' bytes go in FARO's bucket, which the ingest may read (terraform's iam module); other
     * prefixes are for other uses (the chunk archive).
     */
    public static final String DOCUMENTS_PREFIX = "documents/";
    /** Where the gateway puts the bodies it takes over HTTP: within the ingest's reach, the only place it may write. */
    public static final String UPLOADS_PREFIX = DOCUMENTS_PREFIX + "uploads/";
    private static final int MAX_KEY_BYTES = 1_024;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /** Uploads under {@link #DOCUMENTS_PREFIX}, as {@code faro publish} does. */
    public ClaimCheckUploader(S3Client s3, String bucket) {
        this(s3, bucket, DOCUMENTS_PREFIX);
    }

    public ClaimCheckUploader(S3Client s3, String bucket, String prefix) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** The key of a document under {@link #DOCUMENTS_PREFIX}. */
    public static String keyFor(String documentId) {
        return keyFor(DOCUMENTS_PREFIX, documentId);
    }

    /**
     * The object key of a document: {@code <prefix><id>}, or, for an id too long for an S3 key (1024 bytes),
     * {@code <prefix>sha256/<SHA-256 of the id>}.
     */
    public static String keyFor(String prefix, String documentId) {
        String key = prefix + documentId;
        if (key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES) {
            return key;
        }
        return prefix + "sha256/" + Sha256.hex(documentId.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Uploads the bytes and returns their claim check.
     *
     * @throws ContentUnavailableException when S3 refused the upload, saying whether trying again may help
     */
    public ContentRef upload(String documentId, byte[] bytes, String contentType) {
        String key = keyFor(prefix, documentId);
        String sha256 = Sha256.hex(bytes);
        ContentRef target = new ContentRef(bucket, key, Optional.empty(), Optional.of(sha256));
        try {
            PutObjectResponse response = s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key)
                    .contentType(contentType).build(), RequestBody.fromBytes(bytes));
            return new ContentRef(bucket, key, Optional.ofNullable(response.versionId()), Optional.of(sha256));
        } catch (SdkException e) {
            throw S3Failures.classify(target, e);
        }
    }
}
