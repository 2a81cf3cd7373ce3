package io.faro.connectors.source;

import java.util.Objects;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the source saw of one object when it last published it: the value of its record on the state topic
 * ({@code faro.s3-source.state}, keyed by the object's {@code s3://} URI). An object whose listing shows another
 * ETag, size or modification time has changed; its version id (on a versioned bucket) is kept to say which version
 * was published.
 *
 * @param etag         the ETag, without quotes
 * @param size         bytes
 * @param lastModified when S3 last wrote it, ISO-8601
 * @param versionId    the version published, or null where the bucket keeps no versions
 */
record ObjectState(String etag, long size, String lastModified, String versionId) {

    ObjectState {
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
    }

    /**
     * An object as a listing shows it, without a version (a listing has none). The listing's modification time is
     * kept, not a HEAD answer's: S3 lists it in milliseconds and heads it in seconds.
     */
    static ObjectState listed(S3Object object) {
        return new ObjectState(unquoted(object.eTag()), object.size() == null ? 0 : object.size(),
                String.valueOf(object.lastModified()), null);
    }

    ObjectState withVersion(String version) {
        return new ObjectState(etag, size, lastModified, version);
    }

    /** Whether a listing shows this very object: same ETag, size and modification time. */
    boolean sameAs(ObjectState listed) {
        return etag.equals(listed.etag) && size == listed.size && lastModified.equals(listed.lastModified);
    }

    /** An ETag as S3 sends it, in quotes, as FARO keeps it: without. */
    static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
