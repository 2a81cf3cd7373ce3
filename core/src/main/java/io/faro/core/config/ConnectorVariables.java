package io.faro.core.config;

import static io.faro.core.config.FaroConfig.ARCHIVE_BUCKET;
import static io.faro.core.config.FaroConfig.ARCHIVE_CONCURRENCY;
import static io.faro.core.config.FaroConfig.ARCHIVE_PREFIX;
import static io.faro.core.config.FaroConfig.DEFAULT_ARCHIVE_CONCURRENCY;
import static io.faro.core.config.FaroConfig.DEFAULT_ARCHIVE_PREFIX;
import static io.faro.core.config.FaroConfig.DEFAULT_S3_SOURCE_INTERVAL_MS;
import static io.faro.core.config.FaroConfig.S3_BUCKET;
import static io.faro.core.config.FaroConfig.S3_SOURCE_INTERVAL_MS;
import static io.faro.core.config.FaroConfig.S3_SOURCE_LOCATIONS;

import io.faro.core.config.FaroConfig.ConnectorSettings;
import io.faro.core.config.FaroConfig.S3Settings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the variables of the connectors: the S3 source's locations and pace, the chunk archive's bucket and
 * prefix. Both speak S3 through FARO's one client, so both need S3 on ({@code FARO_S3_BUCKET}); the ingest needs
 * it as well, to fetch the claim checks the source publishes. The archive goes to FARO's bucket unless
 * {@code FARO_ARCHIVE_BUCKET} names another.
 */
final class ConnectorVariables {

    private static final int MAX_KEY_PREFIX_BYTES = 512;

    private ConnectorVariables() {
    }

    static ConnectorSettings read(Env env, Optional<S3Settings> s3) {
        List<S3Location> locations = env.optional(S3_SOURCE_LOCATIONS).map(ConnectorVariables::locations)
                .orElse(List.of());
        Optional<String> archiveBucket = env.optional(ARCHIVE_BUCKET);
        if (s3.isEmpty()) {
            List<String> stray = List.of(S3_SOURCE_LOCATIONS, ARCHIVE_BUCKET, ARCHIVE_PREFIX).stream()
                    .filter(name -> env.optional(name).isPresent()).toList();
            if (!stray.isEmpty()) {
                throw new ConfigException(String.join(", ", stray) + " set but " + S3_BUCKET + " is not: the"
                        + " connectors reach S3 with FARO's S3 settings, and the ingest needs them to fetch what the"
                        + " S3 source publishes. Set " + S3_BUCKET + " to FARO's bucket");
            }
        }
        archiveBucket.ifPresent(bucket -> {
            if (!bucket.matches(S3Location.BUCKET_NAME)) {
                throw new ConfigException(ARCHIVE_BUCKET + "=" + bucket + " is not a bucket name (3 to 63 lower-case"
                        + " letters, digits, dots and dashes); give the name alone, the prefix in " + ARCHIVE_PREFIX);
            }
        });
        String prefix = archivePrefix(env.string(ARCHIVE_PREFIX, DEFAULT_ARCHIVE_PREFIX));
        Optional<S3Location> archive = archiveBucket.or(() -> s3.map(S3Settings::bucket))
                .map(bucket -> new S3Location(bucket, prefix));
        return new ConnectorSettings(locations,
                Duration.ofMillis(env.integer(S3_SOURCE_INTERVAL_MS, DEFAULT_S3_SOURCE_INTERVAL_MS, 100, 86_400_000)),
                archive,
                env.integer(ARCHIVE_CONCURRENCY, DEFAULT_ARCHIVE_CONCURRENCY, 1, 256));
    }

    private static List<S3Location> locations(String value) {
        List<S3Location> locations = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(location -> S3Location.parse(location, S3_SOURCE_LOCATIONS)).distinct().toList();
        if (locations.isEmpty()) {
            throw new ConfigException(S3_SOURCE_LOCATIONS + " names no location; give s3://bucket/prefix,...");
        }
        return locations;
    }

    /** The prefix without slashes at either end: the archive's keys are {@code <prefix>/<document>/<chunk>.json}. */
    private static String archivePrefix(String value) {
        String prefix = value.replaceAll("^/+|/+$", "");
        if (prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_PREFIX_BYTES) {
            throw new ConfigException(ARCHIVE_PREFIX + " is longer than " + MAX_KEY_PREFIX_BYTES + " bytes: an S3 key"
                    + " holds 1024, and the document's id needs room");
        }
        return prefix;
    }
}
