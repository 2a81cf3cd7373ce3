package io.faro.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka client properties FARO derives from its variables, for each way Strimzi lets a client in:
 * files laid out as Strimzi's cluster CA secret ({@code ca.crt}, {@code ca.p12}, {@code ca.password}) and
 * KafkaUser secrets ({@code user.crt}, {@code user.key}, {@code user.p12}, {@code user.password};
 * {@code password}) are mounted.
 */
class KafkaClientPropertiesTest {

    private static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIBuser\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n";

    @TempDir
    Path dir;

    private Path caCrt;
    private Path caP12;
    private Path caPassword;
    private Path userCrt;
    private Path userKey;
    private Path userP12;
    private Path userPassword;
    private Path scramPassword;

    @BeforeEach
    void mountSecrets() throws IOException {
        caCrt = write("cluster-ca-cert/ca.crt", "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n");
        caP12 = write("cluster-ca-cert/ca.p12", "p12");
        caPassword = write("cluster-ca-cert/ca.password", "ca-secret");
        userCrt = write("faro-user/user.crt", CERTIFICATE);
        userKey = write("faro-user/user.key", KEY);
        userP12 = write("faro-user/user.p12", "p12");
        userPassword = write("faro-user/user.password", "user-secret\n");
        scramPassword = write("faro-scram/password", "scram-secret");
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static Map<String, Object> properties(Map<String, String> vars) {
        Map<String, String> withBootstrap = new HashMap<>(vars);
        withBootstrap.put(FaroConfig.KAFKA_BOOTSTRAP, "kafka-bootstrap:9093");
        return FaroConfig.from(Env.of(withBootstrap)).kafka().clientProperties();
    }

    @Test
    void shouldSpeakPlaintextWhenNoSecurityIsSet() {
        // given no security variable

        // when
        Map<String, Object> props = properties(Map.of());

        // then
        assertThat(props).containsOnly(entry("bootstrap.servers", "kafka-bootstrap:9093"),
                entry("security.protocol", "PLAINTEXT"));
    }

    @Test
    void shouldTrustTheClusterCaCertificateAsAPemTruststore() {
        // given
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_CA_FILE, caCrt.toString());

        // when
        Map<String, Object> props = properties(vars);

        // then
        assertThat(props).containsOnly(entry("bootstrap.servers", "kafka-bootstrap:9093"),
                entry("security.protocol", "SSL"),
                entry("ssl.truststore.type", "PEM"),
                entry("ssl.truststore.location", caCrt.toString()));
    }

    @Test
    void shouldTrustAPkcs12TruststoreOpenedWithItsPassword() {
        // given
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_TRUSTSTORE_FILE, caP12.toString(),
                FaroConfig.KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE, caPassword.toString());

        // when
        Map<String, Object> props = properties(vars);

        // then
        assertThat(props).containsOnly(entry("bootstrap.servers", "kafka-bootstrap:9093"),
                entry("security.protocol", "SSL"),
                entry("ssl.truststore.type", "PKCS12"),
                entry("ssl.truststore.location", caP12.toString()),
                entry("ssl.truststore.password", "ca-secret"));
    }

    @Test
    void shouldLogInWithScramSha512OverTls() {
        // given
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_CA_FILE, caCrt.toString(),
                FaroConfig.KAFKA_SCRAM_USER, "faro-ingest",
                FaroConfig.KAFKA_SCRAM_PASSWORD_FILE, scramPassword.toString());

        // when
        Map<String, Object> props = properties(vars);

        // then
        assertThat(props).containsOnly(entry("bootstrap.servers", "kafka-bootstrap:9093"),
                entry("security.protocol", "SASL_SSL"),
                entry("ssl.truststore.type", "PEM"),
                entry("ssl.truststore.location", caCrt.toString()),
                entry("sasl.mechanism", "SCRAM-SHA-512"),
                entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"faro-ingest\" password=\"scram-secret\";"));
    }

    @Test
    void shouldEscapeQuotesAndBackslashesInTheScramLogin() {
        // given a password that would end the JAAS string early
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_SCRAM_USER, "faro",
                FaroConfig.KAFKA_SCRAM_PASSWORD, "a\"b\\c");

        // when
        Map<String, Object> props = properties(vars);

        // then
        assertThat(props.get("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule"
                + " required username=\"faro\" password=\"a\\\"b\\\\c\";");
    }

    @Test
    void shouldSpeakScramWithoutTlsWhenOnlyCredentialsAreSet() {
        // given
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_SCRAM_USER, "faro",
                FaroConfig.KAFKA_SCRAM_PASSWORD_FILE, scramPassword.toString());

        // when
        Map<String, Object> props = properties(vars);

        // then
        assertThat(props).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .doesNotContainKeys("ssl.truststore.location", "ssl.truststore.type");
    }

    @Test
    void shouldPresentTheUserP12ForMutualTlsWithItsPasswordForStoreAndKey() {
        // given
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_CA_FILE, caCrt.toString(),
                FaroConfig.KAFKA_TLS_KEYSTORE_FILE, userP12.toString(),
                FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE, userPassword.toString());

        // when
        Map<String, Object> props = properties(vars);

        // then the password file's trailing line break is not part of the password
        assertThat(props).containsOnly(entry("bootstrap.servers", "kafka-bootstrap:9093"),
                entry("security.protocol", "SSL"),
                entry("ssl.truststore.type", "PEM"),
                entry("ssl.truststore.location", caCrt.toString()),
                entry("ssl.keystore.type", "PKCS12"),
                entry("ssl.keystore.location", userP12.toString()),
                entry("ssl.keystore.password", "user-secret"),
                entry("ssl.key.password", "user-secret"));
    }

    @Test
    void shouldPresentUserCrtAndUserKeyAsPemValuesWithoutAPassword() {
        // given
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_CA_FILE, caCrt.toString(),
                FaroConfig.KAFKA_TLS_CERT_FILE, userCrt.toString(),
                FaroConfig.KAFKA_TLS_KEY_FILE, userKey.toString());

        // when
        Map<String, Object> props = properties(vars);

        // then
        assertThat(props).containsOnly(entry("bootstrap.servers", "kafka-bootstrap:9093"),
                entry("security.protocol", "SSL"),
                entry("ssl.truststore.type", "PEM"),
                entry("ssl.truststore.location", caCrt.toString()),
                entry("ssl.keystore.type", "PEM"),
                entry("ssl.keystore.certificate.chain", CERTIFICATE),
                entry("ssl.keystore.key", KEY));
    }

    @Test
    void shouldCombineAPkcs12TruststoreWithAPemClientCertificate() {
        // given
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_TRUSTSTORE_FILE, caP12.toString(),
                FaroConfig.KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE, caPassword.toString(),
                FaroConfig.KAFKA_TLS_CERT_FILE, userCrt.toString(),
                FaroConfig.KAFKA_TLS_KEY_FILE, userKey.toString());

        // when
        Map<String, Object> props = properties(vars);

        // then
        assertThat(props).containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("ssl.truststore.password", "ca-secret")
                .containsEntry("ssl.keystore.type", "PEM")
                .doesNotContainKeys("ssl.keystore.password", "ssl.key.password", "ssl.keystore.location");
    }

    @Test
    void shouldSpeakTlsTrustingTheJvmsCertificatesWhenOnlyTlsIsSwitchedOn() {
        // given a cluster whose certificate a public CA signed (Amazon MSK, say)
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS, "true");

        // when
        Map<String, Object> props = properties(vars);

        // then
        assertThat(props).containsOnly(entry("bootstrap.servers", "kafka-bootstrap:9093"),
                entry("security.protocol", "SSL"));
    }

    @Test
    void shouldApplyThePropertiesFileOverFarosOwn() throws IOException {
        // given
        Path file = write("client.properties", "ssl.endpoint.identification.algorithm=\nclient.rack=eu-west-1a\n");
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_CA_FILE, caCrt.toString(),
                FaroConfig.KAFKA_PROPERTIES_FILE, file.toString());

        // when
        Map<String, Object> props = properties(vars);

        // then
        assertThat(props).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.endpoint.identification.algorithm", "")
                .containsEntry("client.rack", "eu-west-1a");
    }

    @Test
    void shouldKeepEverySecretOutOfTheSettingsStringForm() {
        // given
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_TRUSTSTORE_FILE, caP12.toString(),
                FaroConfig.KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE, caPassword.toString(),
                FaroConfig.KAFKA_SCRAM_USER, "faro",
                FaroConfig.KAFKA_SCRAM_PASSWORD_FILE, scramPassword.toString(),
                FaroConfig.KAFKA_BOOTSTRAP, "kafka:9093");

        // when
        String printed = FaroConfig.from(Env.of(vars)).kafka().toString();

        // then
        assertThat(printed).contains("faro", "****").doesNotContain("ca-secret", "scram-secret");
    }
}
