package io.faro.core.kafka;

import io.faro.core.config.Secret;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How FARO's Kafka clients prove who they are and whom they talk to, as Strimzi sets a cluster up: TLS
 * trusting the cluster CA ({@code ca.crt}, or a PKCS12 truststore), and either mutual TLS with a
 * KafkaUser's certificate ({@code user.p12} with {@code user.password}, or {@code user.crt} with
 * {@code user.key}) or SCRAM-SHA-512 with a user name and password. Everything absent means plaintext.
 */
public record KafkaSecurity(
        boolean tls,
        Optional<Path> caCertificate,
        Optional<Path> truststore,
        Optional<Secret> truststorePassword,
        Optional<Path> keystore,
        Optional<Secret> keystorePassword,
        Optional<Path> certificate,
        Optional<Path> key,
        Optional<String> scramUser,
        Optional<Secret> scramPassword) {

    public static final KafkaSecurity PLAINTEXT = new KafkaSecurity(false, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public boolean scram() {
        return scramUser.isPresent();
    }

    public boolean clientCertificate() {
        return keystore.isPresent() || certificate.isPresent();
    }
}
