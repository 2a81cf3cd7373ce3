package io.faro.cli.security;

import io.faro.core.config.FaroConfig;
import io.faro.devstack.testing.SecuredKafka;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The ways a FARO process proves itself to a Kafka that Strimzi secures, each named only by variables
 * that point at Strimzi's files as a Deployment mounts them: the cluster CA secret and a KafkaUser's secret.
 */
enum Way {

    /** SCRAM-SHA-512 over TLS, trusting {@code ca.crt}. */
    SCRAM_OVER_TLS,
    /** Mutual TLS with the KafkaUser's {@code user.p12} and {@code user.password}, trusting {@code ca.crt}. */
    MTLS_USER_P12,
    /** Mutual TLS with the KafkaUser's {@code user.crt} and {@code user.key}, trusting {@code ca.crt}. */
    MTLS_USER_PEM,
    /** Java keystores only: the cluster CA's {@code ca.p12} and {@code ca.password}, the user's {@code user.p12}. */
    PKCS12_STORES;

    /** The Kafka variables of this way: where the broker is, whom to trust, who FARO is. */
    Map<String, String> variables(SecuredKafka kafka) {
        Path ca = kafka.clusterCaSecret();
        Path user = kafka.tlsUserSecret();
        return switch (this) {
            case SCRAM_OVER_TLS -> Map.of(
                    FaroConfig.KAFKA_BOOTSTRAP, kafka.scramBootstrap(),
                    FaroConfig.KAFKA_TLS_CA_FILE, ca.resolve("ca.crt").toString(),
                    FaroConfig.KAFKA_SCRAM_USER, SecuredKafka.SCRAM_USER,
                    FaroConfig.KAFKA_SCRAM_PASSWORD_FILE, kafka.scramPasswordFile().toString());
            case MTLS_USER_P12 -> Map.of(
                    FaroConfig.KAFKA_BOOTSTRAP, kafka.tlsBootstrap(),
                    FaroConfig.KAFKA_TLS_CA_FILE, ca.resolve("ca.crt").toString(),
                    FaroConfig.KAFKA_TLS_KEYSTORE_FILE, user.resolve("user.p12").toString(),
                    FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE, user.resolve("user.password").toString());
            case MTLS_USER_PEM -> Map.of(
                    FaroConfig.KAFKA_BOOTSTRAP, kafka.tlsBootstrap(),
                    FaroConfig.KAFKA_TLS_CA_FILE, ca.resolve("ca.crt").toString(),
                    FaroConfig.KAFKA_TLS_CERT_FILE, user.resolve("user.crt").toString(),
                    FaroConfig.KAFKA_TLS_KEY_FILE, user.resolve("user.key").toString());
            case PKCS12_STORES -> Map.of(
                    FaroConfig.KAFKA_BOOTSTRAP, kafka.tlsBootstrap(),
                    FaroConfig.KAFKA_TLS_TRUSTSTORE_FILE, ca.resolve("ca.p12").toString(),
                    FaroConfig.KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE, ca.resolve("ca.password").toString(),
                    FaroConfig.KAFKA_TLS_KEYSTORE_FILE, user.resolve("user.p12").toString(),
                    FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE, user.resolve("user.password").toString());
        };
    }

    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
