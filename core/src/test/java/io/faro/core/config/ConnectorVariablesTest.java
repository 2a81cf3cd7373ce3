package io.faro.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.config.FaroConfig.ConnectorSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorVariablesTest {

    private static ConnectorSettings connectors(Map<String, String> vars) {
        return FaroConfig.from(Env.of(vars)).connectors();
    }

    @Test
    void shouldWatchNothingAndArchiveNowhereWithoutS3() {
        ConnectorSettings connectors = connectors(Map.of());

        assertThat(connectors.sourceLocations()).isEmpty();
        assertThat(connectors.archive()).isEmpty();
        assertThat(connectors.sourceInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(connectors.archiveConcurrency()).isEqualTo(16);
    }

    @Test
    void shouldArchiveIntoFarosBucketUnderChunksByDefault() {
        assertThat(connectors(Map.of("FARO_S3_BUCKET", "faro-docs")).archive())
                .hasValue(new S3Location("faro-docs", "chunks"));
    }

    @Test
    void shouldReadEveryConnectorVariable() {
        // given / when
        ConnectorSettings connectors = connectors(Map.of(
                "FARO_S3_BUCKET", "faro-docs",
                "FARO_S3_SOURCE_LOCATIONS", "s3://manuals/pumps/, s3://wiki ,s3://manuals/pumps/",
                "FARO_S3_SOURCE_INTERVAL_MS", "5000",
                "FARO_ARCHIVE_BUCKET", "faro-dr",
                "FARO_ARCHIVE_PREFIX", "/prod/chunks/",
                "FARO_ARCHIVE_CONCURRENCY", "4"));

        // then
        assertThat(connectors.sourceLocations()).containsExactly(new S3Location("manuals", "pumps/"),
                new S3Location("wiki", ""));
        assertThat(connectors.sourceInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(connectors.archive()).hasValue(new S3Location("faro-dr", "prod/chunks"));
        assertThat(connectors.archiveConcurrency()).isEqualTo(4);
    }

    @Test
    void shouldRefuseConnectorVariablesWithoutS3() {
        assertThatThrownBy(() -> connectors(Map.of("FARO_S3_SOURCE_LOCATIONS", "s3://manuals")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FARO_S3_SOURCE_LOCATIONS set but FARO_S3_BUCKET is not");
    }

    @Test
    void shouldRefuseALocationThatIsNoS3Uri() {
        assertThatThrownBy(() -> connectors(Map.of("FARO_S3_BUCKET", "faro", "FARO_S3_SOURCE_LOCATIONS",
                "https://manuals.s3.amazonaws.com/pumps")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FARO_S3_SOURCE_LOCATIONS").hasMessageContaining("s3://bucket/prefix");
        assertThatThrownBy(() -> connectors(Map.of("FARO_S3_BUCKET", "faro", "FARO_S3_SOURCE_LOCATIONS",
                "s3://Manuals/pumps")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not a bucket name");
    }

    @Test
    void shouldRefuseAnArchiveBucketGivenAsAUri() {
        assertThatThrownBy(() -> connectors(Map.of("FARO_S3_BUCKET", "faro", "FARO_ARCHIVE_BUCKET", "s3://faro-dr")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FARO_ARCHIVE_BUCKET");
    }

    @Test
    void shouldWriteALocationAsTheStartOfItsObjectsUris() {
        assertThat(S3Location.parse("s3://manuals/pumps/", "test").uri()).isEqualTo("s3://manuals/pumps/");
        assertThat(S3Location.parse("s3://wiki", "test").uri()).isEqualTo("s3://wiki/");
    }
}
