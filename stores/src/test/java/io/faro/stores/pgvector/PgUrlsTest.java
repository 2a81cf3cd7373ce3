package io.faro.stores.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.config.ConfigException;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.PgSettings;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.postgresql.client.SSLMode;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgUrlsTest {

    @TempDir
    Path dir;

    @Test
    void shouldMaskThePasswordOfTheUrlsUserInfo() {
        assertThat(PgUrls.redacted("postgresql://faro:s3cret@db.example:5432/faro"))
                .isEqualTo("postgresql://faro:****@db.example:5432/faro");
    }

    @Test
    void shouldMaskAPasswordThatHoldsAtSignsAndSlashes() {
        String redacted = PgUrls.redacted("jdbc:postgresql://faro:p@ss/w@rd@db:5432/faro");

        assertThat(redacted).isEqualTo("jdbc:postgresql://faro:****@db:5432/faro").doesNotContain("ss/w");
    }

    @Test
    void shouldMaskAPasswordParameter() {
        assertThat(PgUrls.redacted("postgresql://db:5432/faro?user=faro&PASSWORD=s3cret&sslmode=require"))
                .isEqualTo("postgresql://db:5432/faro?user=faro&PASSWORD=****&sslmode=require");
    }

    @Test
    void shouldLeaveAUrlWithoutPasswordAsItIs() {
        String url = "postgresql://faro@db.example:5432/faro?sslmode=verify-full";

        assertThat(PgUrls.redacted(url)).isEqualTo(url);
    }

    @Test
    void shouldTakeUserAndPasswordFromTheUrlWhenNoneIsSetApart() {
        ConnectionFactoryOptions options = PgUrls.options(pg(Map.of(FaroConfig.PG_URL,
                "postgresql://app:from-url@db:6543/faro")));

        assertThat(options.getValue(ConnectionFactoryOptions.USER)).isEqualTo("app");
        assertThat(options.getValue(ConnectionFactoryOptions.PASSWORD)).hasToString("from-url");
        assertThat(options.getValue(ConnectionFactoryOptions.HOST)).isEqualTo("db");
        assertThat(options.getValue(ConnectionFactoryOptions.PORT)).isEqualTo(6543);
    }

    @Test
    void shouldLetUserPasswordAndTlsSetApartWinOverTheUrls() throws IOException {
        Path passwordFile = Files.writeString(dir.resolve("password"), "from-file\n");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not read here");

        ConnectionFactoryOptions options = PgUrls.options(pg(Map.of(
                FaroConfig.PG_URL, "postgresql://app:from-url@db:5432/faro?sslmode=disable&sslrootcert=/url/ca.pem",
                FaroConfig.PG_USER, "other",
                FaroConfig.PG_PASSWORD_FILE, passwordFile.toString(),
                FaroConfig.PG_SSLMODE, "verify-full",
                FaroConfig.PG_SSLROOTCERT, ca.toString())));

        assertThat(options.getValue(ConnectionFactoryOptions.USER)).isEqualTo("other");
        assertThat(options.getValue(ConnectionFactoryOptions.PASSWORD)).hasToString("from-file");
        assertThat(options.getValue(PostgresqlConnectionFactoryProvider.SSL_MODE)).isEqualTo(SSLMode.VERIFY_FULL);
        assertThat(options.getValue(PostgresqlConnectionFactoryProvider.SSL_ROOT_CERT)).isEqualTo(ca.toString());
    }

    @Test
    void shouldUnderstandLibpqsSpellingOfTlsInTheUrl() {
        ConnectionFactoryOptions options = PgUrls.options(pg(Map.of(FaroConfig.PG_URL,
                "postgresql://app@db:5432/faro?sslmode=verify-ca&sslrootcert=/etc/rds/global-bundle.pem")));

        assertThat(options.getValue(PostgresqlConnectionFactoryProvider.SSL_MODE)).isEqualTo(SSLMode.VERIFY_CA);
        assertThat(options.getValue(PostgresqlConnectionFactoryProvider.SSL_ROOT_CERT))
                .isEqualTo("/etc/rds/global-bundle.pem");
    }

    @Test
    void shouldVerifyTheServerFullyWhenOnlyARootCertificateIsGiven() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not read here");

        ConnectionFactoryOptions options = PgUrls.options(pg(Map.of(
                FaroConfig.PG_URL, "postgresql://app@db:5432/faro",
                FaroConfig.PG_SSLROOTCERT, ca.toString())));

        assertThat(options.getValue(PostgresqlConnectionFactoryProvider.SSL_MODE)).isEqualTo(SSLMode.VERIFY_FULL);
    }

    @Test
    void shouldRefuseARootCertificateThatTheSslModeWouldIgnore() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not read here");
        PgSettings pg = pg(Map.of(
                FaroConfig.PG_URL, "postgresql://app@db:5432/faro",
                FaroConfig.PG_SSLMODE, "require",
                FaroConfig.PG_SSLROOTCERT, ca.toString()));

        assertThatThrownBy(() -> PgUrls.options(pg))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FARO_PG_SSLROOTCERT")
                .hasMessageContaining("FARO_PG_SSLMODE=verify-full");
    }

    @Test
    void shouldNotRevealTheUrlsPasswordWhenTheUrlCannotBeRead() {
        PgSettings pg = pg(Map.of(FaroConfig.PG_URL, "mysql://app:s3cret@db/faro"));

        assertThatThrownBy(() -> PgUrls.options(pg))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FARO_PG_URL")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void shouldDescribeWhereItConnectsWithoutThePassword() {
        ConnectionFactoryOptions options = PgUrls.options(pg(Map.of(
                FaroConfig.PG_URL, "postgresql://app:s3cret@db:5432/faro",
                FaroConfig.PG_SSLMODE, "require")));

        assertThat(PgUrls.describe(options)).isEqualTo("app@db:5432/faro (sslmode require)");
    }

    private static PgSettings pg(Map<String, String> vars) {
        return FaroConfig.from(Env.of(new HashMap<>(vars))).pg();
    }
}
