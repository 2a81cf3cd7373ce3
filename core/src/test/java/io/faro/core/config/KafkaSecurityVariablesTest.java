package io.faro.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.kafka.KafkaSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka security variables: what they are read into, and the combinations refused because they cannot work. */
class KafkaSecurityVariablesTest {

    @TempDir
    Path dir;

    private String caCrt;
    private String caP12;
    private String caPassword;
    private String userCrt;
    private String userKey;
    private String userP12;
    private String userPassword;
    private String scramPassword;

    @BeforeEach
    void mountSecrets() throws IOException {
        caCrt = write("ca.crt", "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n");
        caP12 = write("ca.p12", "p12");
        caPassword = write("ca.password", "ca-secret");
        userCrt = write("user.crt", "-----BEGIN CERTIFICATE-----\nMIIBuser\n-----END CERTIFICATE-----\n");
        userKey = write("user.key", "-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n");
        userP12 = write("user.p12", "p12");
        userPassword = write("user.password", "user-secret");
        scramPassword = write("password", "scram-secret");
    }

    private String write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content).toString();
    }

    private static KafkaSecurity security(Map<String, String> vars) {
        return FaroConfig.from(Env.of(vars)).kafka().security();
    }

    @Test
    void shouldReadStrimzisFilesIntoTheSecurityOfTheClients() {
        // given
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_CA_FILE, caCrt,
                FaroConfig.KAFKA_TLS_KEYSTORE_FILE, userP12,
                FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE, userPassword);

        // when
        KafkaSecurity security = security(vars);

        // then
        assertThat(security.tls()).isTrue();
        assertThat(security.clientCertificate()).isTrue();
        assertThat(security.scram()).isFalse();
        assertThat(security.caCertificate()).contains(Path.of(caCrt));
        assertThat(security.keystore()).contains(Path.of(userP12));
        assertThat(security.keystorePassword()).contains(Secret.of("user-secret"));
    }

    @Test
    void shouldSpeakPlaintextWhenNothingIsSet() {
        // given no variable

        // when
        KafkaSecurity security = security(Map.of());

        // then
        assertThat(security).isEqualTo(KafkaSecurity.PLAINTEXT);
    }

    @Test
    void shouldRefuseTwoWaysOfTrustingTheCluster() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_CA_FILE, caCrt,
                FaroConfig.KAFKA_TLS_TRUSTSTORE_FILE, caP12, FaroConfig.KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE, caPassword);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessage("set FARO_KAFKA_TLS_CA_FILE or FARO_KAFKA_TLS_TRUSTSTORE_FILE, not both");
    }

    @Test
    void shouldRefuseATruststoreWithoutItsPassword() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_TRUSTSTORE_FILE, caP12);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("FARO_KAFKA_TLS_TRUSTSTORE_FILE needs its password: set"
                        + " FARO_KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE (Strimzi's ca.password)");
    }

    @Test
    void shouldRefuseATruststorePasswordWithoutATruststore() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE, caPassword);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("a truststore password is set but no truststore: set"
                        + " FARO_KAFKA_TLS_TRUSTSTORE_FILE");
    }

    @Test
    void shouldRefuseTwoClientCertificates() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_KEYSTORE_FILE, userP12,
                FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE, userPassword,
                FaroConfig.KAFKA_TLS_CERT_FILE, userCrt, FaroConfig.KAFKA_TLS_KEY_FILE, userKey);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessage("set FARO_KAFKA_TLS_KEYSTORE_FILE or FARO_KAFKA_TLS_CERT_FILE, not both");
    }

    @Test
    void shouldRefuseAKeystoreWithoutItsPassword() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_KEYSTORE_FILE, userP12);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("FARO_KAFKA_TLS_KEYSTORE_FILE needs its password: set"
                        + " FARO_KAFKA_TLS_KEYSTORE_PASSWORD_FILE (Strimzi's user.password)");
    }

    @Test
    void shouldRefuseAKeystorePasswordWithoutAKeystore() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD, "user-secret");

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("a keystore password is set but no keystore: set FARO_KAFKA_TLS_KEYSTORE_FILE")
                .hasMessageNotContaining("user-secret");
    }

    @Test
    void shouldRefuseACertificateWithoutItsKey() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_CERT_FILE, userCrt);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessage("FARO_KAFKA_TLS_CERT_FILE and FARO_KAFKA_TLS_KEY_FILE go together: set both");
    }

    @Test
    void shouldRefuseAKeyWithoutItsCertificate() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_KEY_FILE, userKey);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessage("FARO_KAFKA_TLS_CERT_FILE and FARO_KAFKA_TLS_KEY_FILE go together: set both");
    }

    @Test
    void shouldRefuseAKeyKafkaCannotReadWithoutPrintingIt() throws IOException {
        // given a PKCS#1 key, as openssl genrsa writes it
        String rsaKey = write("rsa.key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretbody\n-----END RSA PRIVATE KEY-----\n");
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_CERT_FILE, userCrt, FaroConfig.KAFKA_TLS_KEY_FILE, rsaKey);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("FARO_KAFKA_TLS_KEY_FILE=" + rsaKey + " is not an unencrypted PKCS#8 private key")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
                .hasMessageNotContaining("MIIEsecretbody");
    }

    @Test
    void shouldRefuseAScramUserWithoutAPassword() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_SCRAM_USER, "faro");

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessage("FARO_KAFKA_SCRAM_USER and FARO_KAFKA_SCRAM_PASSWORD_FILE (or FARO_KAFKA_SCRAM_PASSWORD)"
                        + " go together: set both");
    }

    @Test
    void shouldRefuseAScramPasswordWithoutAUser() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_SCRAM_PASSWORD_FILE, scramPassword);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("go together: set both");
    }

    @Test
    void shouldRefuseTheScramPasswordBothInlineAndInAFile() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_SCRAM_USER, "faro",
                FaroConfig.KAFKA_SCRAM_PASSWORD, "scram-secret", FaroConfig.KAFKA_SCRAM_PASSWORD_FILE, scramPassword);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessage("set FARO_KAFKA_SCRAM_PASSWORD or FARO_KAFKA_SCRAM_PASSWORD_FILE, not both");
    }

    @Test
    void shouldRefuseScramAndAClientCertificateTogether() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_SCRAM_USER, "faro",
                FaroConfig.KAFKA_SCRAM_PASSWORD_FILE, scramPassword,
                FaroConfig.KAFKA_TLS_CERT_FILE, userCrt, FaroConfig.KAFKA_TLS_KEY_FILE, userKey);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("are two ways to authenticate; choose one");
    }

    @Test
    void shouldRefuseTlsSwitchedOffWhileTlsFilesAreSet() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS, "false", FaroConfig.KAFKA_TLS_CA_FILE, caCrt);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("FARO_KAFKA_TLS=false, but TLS files are set");
    }

    @Test
    void shouldRefuseAFileThatIsNotThere() {
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_CA_FILE, dir.resolve("missing/ca.crt").toString());

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessage("FARO_KAFKA_TLS_CA_FILE=" + dir.resolve("missing/ca.crt") + " is not a readable file");
    }

    @Test
    void shouldRefuseAnEmptyPasswordFile() throws IOException {
        String empty = write("empty.password", "\n");
        Map<String, String> vars = Map.of(FaroConfig.KAFKA_TLS_KEYSTORE_FILE, userP12,
                FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE, empty);

        assertThatThrownBy(() -> security(vars)).isInstanceOf(ConfigException.class)
                .hasMessage("FARO_KAFKA_TLS_KEYSTORE_PASSWORD_FILE=" + empty + " is empty");
    }
}
