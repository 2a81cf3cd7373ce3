package io.faro.core.config;

import static io.faro.core.config.FaroConfig.DEFAULT_S3_FETCH_CONCURRENCY;
import static io.faro.core.config.FaroConfig.DEFAULT_S3_MAX_ATTEMPTS;
import static io.faro.core.config.FaroConfig.DEFAULT_S3_MAX_OBJECT_BYTES;
import static io.faro.core.config.FaroConfig.DEFAULT_S3_RETRY_MODE;
import static io.faro.core.config.FaroConfig.DEFAULT_S3_TIMEOUT_MS;
import static io.faro.core.config.FaroConfig.S3_BUCKET;
import static io.faro.core.config.FaroConfig.S3_ENDPOINT;
import static io.faro.core.config.FaroConfig.S3_FETCH_CONCURRENCY;
import static io.faro.core.config.FaroConfig.S3_MAX_ATTEMPTS;
import static io.faro.core.config.FaroConfig.S3_MAX_OBJECT_BYTES;
import static io.faro.core.config.FaroConfig.S3_PATH_STYLE;
import static io.faro.core.config.FaroConfig.S3_REGION;
import static io.faro.core.config.FaroConfig.S3_RETRY_MODE;
import static io.faro.core.config.FaroConfig.S3_TIMEOUT_MS;

import io.faro.core.config.FaroConfig.S3RetryMode;
import io.faro.core.config.FaroConfig.S3Settings;
import io.faro.core.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code FARO_S3_*} variables. {@code FARO_S3_BUCKET} turns S3 on; any other of them without it is a
 * mistake worth stopping for, since the operator evidently meant to use S3. Path-style addressing defaults to on
 * with an endpoint (what MinIO and most S3-compatible servers need), off for AWS.
 */
final class S3Variables {

    /** S3 allows 3 to 63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit. */
    private static final String BUCKET_NAME = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";
    /** A fetched object reaches the parser inline, as base64 in the document's JSON, whose strings are bounded. */
    static final int MAX_OBJECT_BYTES = Json.MAX_STRING_CHARS / 4 * 3;

    private S3Variables() {
    }

    static Optional<S3Settings> read(Env env) {
        Optional<String> bucket = env.optional(S3_BUCKET);
        if (bucket.isEmpty()) {
            List<String> stray = List.of(S3_ENDPOINT, S3_REGION, S3_PATH_STYLE).stream()
                    .filter(name -> env.optional(name).isPresent()).toList();
            if (!stray.isEmpty()) {
                throw new ConfigException(String.join(", ", stray) + " set but " + S3_BUCKET
                        + " is not; set it to FARO's bucket to use S3");
            }
            return Optional.empty();
        }
        if (!bucket.get().matches(BUCKET_NAME)) {
            throw new ConfigException(S3_BUCKET + "=" + bucket.get() + " is not a bucket name (3 to 63 lower-case"
                    + " letters, digits, dots and dashes); give the name alone, not an s3:// URI");
        }
        Optional<URI> endpoint = env.optional(S3_ENDPOINT).map(S3Variables::endpoint);
        return Optional.of(new S3Settings(
                bucket.get(),
                env.optional(S3_REGION),
                endpoint,
                env.bool(S3_PATH_STYLE, endpoint.isPresent()),
                env.integer(S3_TIMEOUT_MS, DEFAULT_S3_TIMEOUT_MS, 100, 600_000),
                env.integer(S3_MAX_ATTEMPTS, DEFAULT_S3_MAX_ATTEMPTS, 1, 10),
                env.choice(S3_RETRY_MODE, S3RetryMode.class, DEFAULT_S3_RETRY_MODE),
                env.integer(S3_FETCH_CONCURRENCY, DEFAULT_S3_FETCH_CONCURRENCY, 1, 256),
                env.integer(S3_MAX_OBJECT_BYTES, DEFAULT_S3_MAX_OBJECT_BYTES, 1_024, MAX_OBJECT_BYTES)));
    }

    private static URI endpoint(String value) {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(S3_ENDPOINT + "=" + value + " is not an http(s) URL such as"
                        + " http://minio:9000");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(S3_ENDPOINT + "=" + value + " is not a URL: " + e.getReason());
        }
    }
}
