package io.faro.core.document;

import java.util.Objects;
import java.util.Optional;

/**
 * A claim check: where a document's bytes live when they are too large for a topic record
 * ({@code content_ref: "s3://bucket/key"}), optionally pinned to one version of the object or to the
 * SHA-256 of its bytes.
 *
 * @param bucket  the bucket
 * @param key     the object key, never empty
 * @param version the object's version id, or empty for the latest
 * @param sha256  the lowercase hex SHA-256 the bytes must have, or empty to take them as they are
 */
public record ContentRef(String bucket, String key, Optional<String> version, Optional<String> sha256) {

    public static final String SCHEME = "s3://";

    public ContentRef {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        version = version == null ? Optional.empty() : version;
        sha256 = sha256 == null ? Optional.empty() : sha256;
    }

    /** Reads {@code s3://bucket/key}; anything else is a contract error that names the value. */
    public static ContentRef parse(String uri, Optional<String> version, Optional<String> sha256) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            throw new InvalidDocumentException("'content_ref' must look like s3://bucket/key, got '" + uri + "'");
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new InvalidDocumentException("'content_ref' must name a bucket and a key: s3://bucket/key, got '"
                    + uri + "'");
        }
        return new ContentRef(rest.substring(0, slash), rest.substring(slash + 1), version, sha256);
    }

    public String uri() {
        return SCHEME + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return uri() + version.map(v -> "?versionId=" + v).orElse("");
    }
}
