package io.faro.core.config;

import java.util.Objects;

/**
 * A place in S3: a bucket and a key prefix, written {@code s3://bucket/prefix}. The prefix is S3's own, a plain
 * start of the key: {@code s3://docs/manuals} holds {@code manuals/pump.pdf} and {@code manuals-old/x.pdf} alike,
 * {@code s3://docs/manuals/} the first alone. An empty prefix is the whole bucket.
 */
public record S3Location(String bucket, String prefix) {

    public static final String SCHEME = "s3://";
    /** S3 allows 3 to 63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit. */
    static final String BUCKET_NAME = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";

    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
    }

    /**
     * Reads {@code s3://bucket} or {@code s3://bucket/prefix}.
     *
     * @param variable the variable the value came from, named when it is wrong
     */
    public static S3Location parse(String value, String variable) {
        String trimmed = value.trim();
        if (!trimmed.startsWith(SCHEME)) {
            throw new ConfigException(variable + ": '" + value + "' is not an S3 location such as s3://bucket/prefix");
        }
        String rest = trimmed.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (!bucket.matches(BUCKET_NAME)) {
            throw new ConfigException(variable + ": '" + bucket + "' in '" + value + "' is not a bucket name (3 to 63"
                    + " lower-case letters, digits, dots and dashes)");
        }
        return new S3Location(bucket, slash < 0 ? "" : rest.substring(slash + 1));
    }

    /** {@code s3://bucket/prefix}: what the {@code s3://} URI of every object here starts with. */
    public String uri() {
        return SCHEME + bucket + "/" + prefix;
    }

    @Override
    public String toString() {
        return uri();
    }
}
