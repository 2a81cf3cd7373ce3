package io.faro.stores.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.store.StoreException;
import io.faro.core.store.StoreKind;
import io.faro.core.store.VectorStore;
import io.faro.devstack.LocalPostgres;
import io.faro.devstack.testing.TestCertificates;
import io.faro.devstack.testing.TestCertificates.Issued;
import io.faro.devstack.testing.TestDirs;
import io.faro.devstack.testing.TestPostgres;
import io.faro.stores.StoreFactory;
import io.faro.stores.testing.CapturedLogs;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * PostgreSQL reached the way a managed database is: a password kept out of the URL, TLS up to verify-full
 * against a CA bundle, and failures that say what to check without showing the secret. The cluster is this
 * test's own: TLS with a certificate a test CA signed (for {@code localhost} and {@code 127.0.0.1}), and a
 * {@code pg_hba.conf} that lets FARO's role in only over TLS with a SCRAM password, so every connection that
 * succeeds here was encrypted and authenticated.
 */
class PgSecurityIT {

    private static final String ROLE = "faro_app";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String URL_PASSWORD = "url-pw-" + UUID.randomUUID();
    /** Another address the server listens on, which its certificate does not name. */
    private static final String UNNAMED_HOST = "127.0.0.2";

    private static Path work;
    private static LocalPostgres postgres;
    private static Path caFile;
    private static Path otherCaFile;
    private static Path passwordFile;
    private static CapturedLogs logs;

    @BeforeAll
    static void startPostgresThatRequiresTlsAndAPassword() throws IOException {
        logs = CapturedLogs.start();
        work = TestPostgres.tempDirOthersCanEnter("faro-pg-security-");
        int port = TestPostgres.freePort();
        LocalPostgres open = LocalPostgres.start(work.resolve("data"), port);
        try {
            execute(open.url(), "CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'",
                    "CREATE DATABASE " + ROLE + " OWNER " + ROLE);
            execute(open.url().replace("/postgres", "/" + ROLE), "CREATE EXTENSION vector");
        } finally {
            open.close();
        }
        Issued ca = TestCertificates.authority("faro-test-postgres-ca");
        Issued server = TestCertificates.issue(ca, "localhost", List.of("localhost"), List.of("127.0.0.1"));
        open.writePrivateFile("server.crt", Files.readString(
                TestCertificates.writePem(work.resolve("server.crt"), server.certificate())));
        open.writePrivateFile("server.key", Files.readString(TestCertificates.writeKey(work.resolve("server.key"),
                server.key())));
        Files.delete(work.resolve("server.key"));
        open.writePrivateFile("pg_hba.conf", """
                # FARO's role, over TLS with a SCRAM password; nothing else
                hostssl all %1$s 127.0.0.0/8 scram-sha-256
                hostssl all %1$s ::1/128     scram-sha-256
                """.formatted(ROLE));
        postgres = LocalPostgres.start(open.dataDir(), port,
                Map.of("ssl", "on", "listen_addresses", "localhost," + UNNAMED_HOST));
        caFile = TestCertificates.writePem(work.resolve("ca.pem"), ca.certificate());
        otherCaFile = TestCertificates.writePem(work.resolve("other-ca.pem"),
                TestCertificates.authority("faro-test-other-ca").certificate());
        passwordFile = Files.writeString(work.resolve("pg-password"), PASSWORD + "\n");
        logs.clear(); // the set-up's own CREATE ROLE statement holds the password
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
        if (work != null) {
            TestDirs.deleteRecursively(work);
        }
        if (logs != null) {
            logs.stop();
        }
    }

    @AfterEach
    void shouldKeepEveryPasswordOutOfTheLogs() {
        assertThat(logs.text()).isNotEmpty().doesNotContain(PASSWORD).doesNotContain(URL_PASSWORD);
    }

    @Test
    void shouldConnectWithThePasswordFromAFileAndNoneInTheUrl() {
        // given the password in FARO_PG_PASSWORD_FILE only
        FaroConfig config = config("localhost", Map.of(
                FaroConfig.PG_PASSWORD_FILE, passwordFile.toString(),
                FaroConfig.PG_SSLMODE, "require"));

        // when the store opens, then it works
        try (VectorStore store = StoreFactory.open(config, StoreKind.PGVECTOR)) {
            assertThat(store.count()).isZero();
            assertThat(store.isReachable()).isTrue();
        }
    }

    @Test
    void shouldConnectWithVerifyFullWhenTheRootCertificateSignedTheServer() {
        FaroConfig config = config("localhost", Map.of(
                FaroConfig.PG_PASSWORD_FILE, passwordFile.toString(),
                FaroConfig.PG_SSLMODE, "verify-full",
                FaroConfig.PG_SSLROOTCERT, caFile.toString()));

        try (VectorStore store = StoreFactory.open(config, StoreKind.PGVECTOR)) {
            assertThat(store.count()).isZero();
        }
    }

    @Test
    void shouldRefuseUnderVerifyFullAServerThatAnotherCaSigned() {
        FaroConfig config = config("localhost", Map.of(
                FaroConfig.PG_PASSWORD_FILE, passwordFile.toString(),
                FaroConfig.PG_SSLMODE, "verify-full",
                FaroConfig.PG_SSLROOTCERT, otherCaFile.toString()));

        Throwable failure = catchThrowable(() -> StoreFactory.open(config, StoreKind.PGVECTOR).close());

        assertThat(failure).isInstanceOf(StoreException.class)
                .hasMessageContaining("certificate")
                .hasMessageContaining(FaroConfig.PG_SSLROOTCERT)
                .hasMessageContaining(FaroConfig.PG_SSLMODE)
                .hasMessageContaining(ROLE + "@localhost");
        assertNoPasswordIn(failure);
    }

    @Test
    void shouldRefuseUnderVerifyFullAServerWhoseCertificateDoesNotNameTheHost() {
        Map<String, String> tls = Map.of(
                FaroConfig.PG_PASSWORD_FILE, passwordFile.toString(),
                FaroConfig.PG_SSLROOTCERT, caFile.toString());
        FaroConfig verifyFull = config(UNNAMED_HOST, with(tls, FaroConfig.PG_SSLMODE, "verify-full"));
        FaroConfig verifyCa = config(UNNAMED_HOST, with(tls, FaroConfig.PG_SSLMODE, "verify-ca"));

        Throwable failure = catchThrowable(() -> StoreFactory.open(verifyFull, StoreKind.PGVECTOR).close());

        assertThat(failure).isInstanceOf(StoreException.class)
                .hasMessageContaining(UNNAMED_HOST)
                .hasMessageContaining("host name");
        assertNoPasswordIn(failure);
        // and verify-ca, which checks the CA but not the name, lets the same connection through
        try (VectorStore store = StoreFactory.open(verifyCa, StoreKind.PGVECTOR)) {
            assertThat(store.count()).isZero();
        }
    }

    @Test
    void shouldSayWhatToCheckWhenThePasswordIsWrong() {
        FaroConfig config = config("localhost", Map.of(
                FaroConfig.PG_PASSWORD, "not-" + PASSWORD,
                FaroConfig.PG_SSLMODE, "require"));

        Throwable failure = catchThrowable(() -> StoreFactory.open(config, StoreKind.PGVECTOR).close());

        assertThat(failure).isInstanceOf(StoreException.class)
                .hasMessageContaining("password authentication failed")
                .hasMessageContaining(FaroConfig.PG_PASSWORD_FILE);
        assertNoPasswordIn(failure);
    }

    @Test
    void shouldSayToTurnOnTlsWhenTheServerAcceptsNoOtherConnection() {
        FaroConfig config = config("localhost", Map.of(
                FaroConfig.PG_PASSWORD_FILE, passwordFile.toString(),
                FaroConfig.PG_SSLMODE, "disable"));

        Throwable failure = catchThrowable(() -> StoreFactory.open(config, StoreKind.PGVECTOR).close());

        assertThat(failure).isInstanceOf(StoreException.class)
                .hasMessageContaining("FARO_PG_SSLMODE=require");
        assertNoPasswordIn(failure);
    }

    @Test
    void shouldNotRevealThePasswordOfAUrl() {
        // given a URL with a (wrong) password in it
        FaroConfig config = FaroConfig.from(Env.of(Map.of(
                FaroConfig.PG_URL, urlWithPassword(URL_PASSWORD),
                FaroConfig.PG_SSLMODE, "require",
                FaroConfig.PG_TABLE, table())));

        Throwable failure = catchThrowable(() -> StoreFactory.open(config, StoreKind.PGVECTOR).close());

        assertThat(failure).isInstanceOf(StoreException.class)
                .hasMessageContaining("password authentication failed")
                .hasMessageContaining("FARO_PG_URL");
        assertNoPasswordIn(failure);
    }

    @Test
    void shouldConnectWithThePasswordInTheUrlAndKeepItOutOfTheLogs() {
        FaroConfig config = FaroConfig.from(Env.of(Map.of(
                FaroConfig.PG_URL, urlWithPassword(PASSWORD),
                FaroConfig.PG_SSLMODE, "verify-full",
                FaroConfig.PG_SSLROOTCERT, caFile.toString(),
                FaroConfig.PG_TABLE, table())));

        try (VectorStore store = StoreFactory.open(config, StoreKind.PGVECTOR)) {
            assertThat(store.count()).isZero();
        }
    }

    private static FaroConfig config(String host, Map<String, String> vars) {
        Map<String, String> all = new HashMap<>(vars);
        all.put(FaroConfig.PG_URL, "postgresql://" + ROLE + "@" + host + ":" + postgres.port() + "/" + ROLE);
        all.put(FaroConfig.PG_TABLE, table());
        return FaroConfig.from(Env.of(all));
    }

    private static String urlWithPassword(String password) {
        return "postgresql://" + ROLE + ":" + password + "@localhost:" + postgres.port() + "/" + ROLE;
    }

    private static Map<String, String> with(Map<String, String> vars, String name, String value) {
        Map<String, String> all = new HashMap<>(vars);
        all.put(name, value);
        return all;
    }

    private static String table() {
        return "sec_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    /** Neither password in the message, nor in any message or stack frame of its causes. */
    private static void assertNoPasswordIn(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(PASSWORD).doesNotContain(URL_PASSWORD);
    }

    /** Runs statements as the cluster's superuser, one at a time (CREATE DATABASE refuses a transaction). */
    private static void execute(String url, String... statements) {
        Mono.usingWhen(Mono.from(ConnectionFactories.get(PgUrls.toR2dbc(url)).create()),
                        (Connection conn) -> Flux.fromArray(statements)
                                .concatMap(sql -> Flux.from(conn.createStatement(sql).execute())
                                        .concatMap(result -> result.getRowsUpdated()))
                                .then(),
                        Connection::close)
                .block(Duration.ofSeconds(30));
    }
}
