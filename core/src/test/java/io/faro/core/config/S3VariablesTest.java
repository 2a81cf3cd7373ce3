package io.faro.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.config.FaroConfig.S3RetryMode;
import io.faro.core.config.FaroConfig.S3Settings;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3VariablesTest {

    private static FaroConfig config(Map<String, String> vars) {
        return FaroConfig.from(Env.of(vars));
    }

    @Test
    void shouldLeaveS3OffWithoutABucket() {
        assertThat(config(Map.of()).s3()).isEmpty();
    }

    @Test
    void shouldUseAwsDefaultsWithABucketAlone() {
        // given / when
        S3Settings s3 = config(Map.of("FARO_S3_BUCKET", "faro-docs")).s3().orElseThrow();

        // then
        assertThat(s3.bucket()).isEqualTo("faro-docs");
        assertThat(s3.region()).isEmpty();
        assertThat(s3.endpoint()).isEmpty();
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.timeoutMs()).isEqualTo(FaroConfig.DEFAULT_S3_TIMEOUT_MS);
        assertThat(s3.maxAttempts()).isEqualTo(3);
        assertThat(s3.retryMode()).isEqualTo(S3RetryMode.STANDARD);
        assertThat(s3.fetchConcurrency()).isEqualTo(8);
        assertThat(s3.maxObjectBytes()).isEqualTo(32 * 1024 * 1024);
    }

    @Test
    void shouldReadAnS3CompatibleServerWithPathStyleByDefault() {
        // given / when
        S3Settings s3 = config(Map.of(
                "FARO_S3_BUCKET", "faro",
                "FARO_S3_ENDPOINT", "http://127.0.0.1:9000",
                "FARO_S3_REGION", "eu-west-1",
                "FARO_S3_RETRY_MODE", "adaptive",
                "FARO_S3_MAX_ATTEMPTS", "5",
                "FARO_S3_TIMEOUT_MS", "2000",
                "FARO_S3_FETCH_CONCURRENCY", "2",
                "FARO_S3_MAX_OBJECT_BYTES", "1048576")).s3().orElseThrow();

        // then
        assertThat(s3.endpoint()).hasValue(URI.create("http://127.0.0.1:9000"));
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.region()).hasValue("eu-west-1");
        assertThat(s3.retryMode()).isEqualTo(S3RetryMode.ADAPTIVE);
        assertThat(s3.maxAttempts()).isEqualTo(5);
        assertThat(s3.timeoutMs()).isEqualTo(2000);
        assertThat(s3.fetchConcurrency()).isEqualTo(2);
        assertThat(s3.maxObjectBytes()).isEqualTo(1_048_576);
    }

    @Test
    void shouldLetPathStyleBeTurnedOffForAnEndpoint() {
        S3Settings s3 = config(Map.of("FARO_S3_BUCKET", "faro", "FARO_S3_ENDPOINT", "https://s3.example.com",
                "FARO_S3_PATH_STYLE", "false")).s3().orElseThrow();

        assertThat(s3.pathStyle()).isFalse();
    }

    @Test
    void shouldRefuseS3SettingsWithoutABucket() {
        assertThatThrownBy(() -> config(Map.of("FARO_S3_ENDPOINT", "http://127.0.0.1:9000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FARO_S3_ENDPOINT").hasMessageContaining("FARO_S3_BUCKET is not");
    }

    @Test
    void shouldRefuseAnS3UriAsBucketName() {
        assertThatThrownBy(() -> config(Map.of("FARO_S3_BUCKET", "s3://faro")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FARO_S3_BUCKET=s3://faro");
    }

    @Test
    void shouldRefuseAnEndpointThatIsNoHttpUrl() {
        assertThatThrownBy(() -> config(Map.of("FARO_S3_BUCKET", "faro", "FARO_S3_ENDPOINT", "minio:9000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FARO_S3_ENDPOINT=minio:9000");
    }

    @Test
    void shouldRefuseObjectsWhoseBase64WouldNotFitAJsonString() {
        assertThatThrownBy(() -> config(Map.of("FARO_S3_BUCKET", "faro",
                "FARO_S3_MAX_OBJECT_BYTES", Integer.toString(48 * 1024 * 1024 + 1))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FARO_S3_MAX_OBJECT_BYTES");
        assertThat(config(Map.of("FARO_S3_BUCKET", "faro", "FARO_S3_MAX_OBJECT_BYTES",
                Integer.toString(48 * 1024 * 1024))).s3().orElseThrow().maxObjectBytes()).isEqualTo(48 * 1024 * 1024);
    }

    @Test
    void shouldRefuseAnUnknownRetryMode() {
        assertThatThrownBy(() -> config(Map.of("FARO_S3_BUCKET", "faro", "FARO_S3_RETRY_MODE", "legacy")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("standard, adaptive");
    }
}
