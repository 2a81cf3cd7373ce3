package io.faro.core.config;

import static io.faro.core.config.FaroConfig.KAFKA_SCRAM_PASSWORD;
import static io.faro.core.config.FaroConfig.KAFKA_SCRAM_PASSWORD_FILE;
import static io.faro.core.config.FaroConfig.KAFKA_SCRAM_USER;
import static io.faro.core.config.FaroConfig.KAFKA_TLS;
import static io.faro.core.config.FaroConfig.KAFKA_TLS_CA_FILE;
import static io.faro.core.config.FaroConfig.KAFKA_TLS_CERT_FILE;
import static io.faro.core.config.FaroConfig.KAFKA_TLS_KEYSTORE_FILE;
import static io.faro.core.config.FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD;
import static io.faro.core.config.FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE;
import static io.faro.core.config.FaroConfig.KAFKA_TLS_KEY_FILE;
import static io.faro.core.config.FaroConfig.KAFKA_TLS_TRUSTSTORE_FILE;
import static io.faro.core.config.FaroConfig.KAFKA_TLS_TRUSTSTORE_PASSWORD;
import static io.faro.core.config.FaroConfig.KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE;

import io.faro.core.kafka.KafkaSecurity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the {@code FARO_KAFKA_TLS*} and {@code FARO_KAFKA_SCRAM*} variables into {@link KafkaSecurity}, and
 * refuses, naming the variables, combinations that cannot work: two ways to trust or to authenticate at
 * once, half of a pair, a password for a store that is not set, TLS switched off while TLS files are given,
 * or a key Kafka cannot read.
 */
final class KafkaSecurityVariables {

    /** The one form of PEM private key Kafka reads without a key password: unencrypted PKCS#8, as Strimzi writes it. */
    private static final String PKCS8_KEY = "-----BEGIN PRIVATE KEY-----";

    private KafkaSecurityVariables() {
    }

    static KafkaSecurity read(Env env) {
        Optional<Path> ca = env.file(KAFKA_TLS_CA_FILE);
        Optional<Path> truststore = env.file(KAFKA_TLS_TRUSTSTORE_FILE);
        Optional<Secret> truststorePassword = env.secret(KAFKA_TLS_TRUSTSTORE_PASSWORD, KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE);
        Optional<Path> keystore = env.file(KAFKA_TLS_KEYSTORE_FILE);
        Optional<Secret> keystorePassword = env.secret(KAFKA_TLS_KEYSTORE_PASSWORD, KAFKA_TLS_KEYSTORE_PASSWORD_FILE);
        Optional<Path> certificate = env.file(KAFKA_TLS_CERT_FILE);
        Optional<Path> key = env.file(KAFKA_TLS_KEY_FILE);
        Optional<String> scramUser = env.optional(KAFKA_SCRAM_USER);
        Optional<Secret> scramPassword = env.secret(KAFKA_SCRAM_PASSWORD, KAFKA_SCRAM_PASSWORD_FILE);
        if (ca.isPresent() && truststore.isPresent()) {
            throw new ConfigException("set " + KAFKA_TLS_CA_FILE + " or " + KAFKA_TLS_TRUSTSTORE_FILE + ", not both");
        }
        if (truststore.isPresent() != truststorePassword.isPresent()) {
            throw new ConfigException(truststore.isPresent()
                    ? KAFKA_TLS_TRUSTSTORE_FILE + " needs its password: set " + KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE
                            + " (Strimzi's ca.password) or " + KAFKA_TLS_TRUSTSTORE_PASSWORD
                    : "a truststore password is set but no truststore: set " + KAFKA_TLS_TRUSTSTORE_FILE
                            + " (Strimzi's ca.p12), or unset " + KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE + " and "
                            + KAFKA_TLS_TRUSTSTORE_PASSWORD);
        }
        if (keystore.isPresent() && certificate.isPresent()) {
            throw new ConfigException("set " + KAFKA_TLS_KEYSTORE_FILE + " or " + KAFKA_TLS_CERT_FILE + ", not both");
        }
        if (keystore.isPresent() != keystorePassword.isPresent()) {
            throw new ConfigException(keystore.isPresent()
                    ? KAFKA_TLS_KEYSTORE_FILE + " needs its password: set " + KAFKA_TLS_KEYSTORE_PASSWORD_FILE
                            + " (Strimzi's user.password) or " + KAFKA_TLS_KEYSTORE_PASSWORD
                    : "a keystore password is set but no keystore: set " + KAFKA_TLS_KEYSTORE_FILE
                            + " (Strimzi's user.p12), or unset " + KAFKA_TLS_KEYSTORE_PASSWORD_FILE + " and "
                            + KAFKA_TLS_KEYSTORE_PASSWORD);
        }
        if (certificate.isPresent() != key.isPresent()) {
            throw new ConfigException(KAFKA_TLS_CERT_FILE + " and " + KAFKA_TLS_KEY_FILE + " go together: set both");
        }
        key.ifPresent(KafkaSecurityVariables::requireUnencryptedPkcs8);
        if (scramUser.isPresent() != scramPassword.isPresent()) {
            throw new ConfigException(KAFKA_SCRAM_USER + " and " + KAFKA_SCRAM_PASSWORD_FILE + " (or "
                    + KAFKA_SCRAM_PASSWORD + ") go together: set both");
        }
        if (scramUser.isPresent() && (keystore.isPresent() || certificate.isPresent())) {
            throw new ConfigException("a client certificate (" + KAFKA_TLS_KEYSTORE_FILE + " or " + KAFKA_TLS_CERT_FILE
                    + ") and SCRAM (" + KAFKA_SCRAM_USER + ") are two ways to authenticate; choose one");
        }
        boolean tlsFiles = ca.isPresent() || truststore.isPresent() || keystore.isPresent() || certificate.isPresent();
        if (env.optional(KAFKA_TLS).isPresent() && !env.bool(KAFKA_TLS, true) && tlsFiles) {
            throw new ConfigException(KAFKA_TLS + "=false, but TLS files are set (" + KAFKA_TLS_CA_FILE + ", "
                    + KAFKA_TLS_TRUSTSTORE_FILE + ", " + KAFKA_TLS_KEYSTORE_FILE + " or " + KAFKA_TLS_CERT_FILE
                    + "): unset them, or " + KAFKA_TLS);
        }
        return new KafkaSecurity(env.bool(KAFKA_TLS, false) || tlsFiles, ca, truststore, truststorePassword, keystore,
                keystorePassword, certificate, key, scramUser, scramPassword);
    }

    /** Kafka reads a PEM key without a password only as unencrypted PKCS#8; say so before it fails obscurely. */
    private static void requireUnencryptedPkcs8(Path key) {
        String pem;
        try {
            pem = Files.readString(key, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(KAFKA_TLS_KEY_FILE + "=" + key + " cannot be read: " + e.getMessage());
        }
        if (!pem.contains(PKCS8_KEY)) {
            throw new ConfigException(KAFKA_TLS_KEY_FILE + "=" + key + " is not an unencrypted PKCS#8 private key ("
                    + PKCS8_KEY + "), as Strimzi's user.key is; convert it with"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out user.key', or use " + KAFKA_TLS_KEYSTORE_FILE);
        }
    }
}
