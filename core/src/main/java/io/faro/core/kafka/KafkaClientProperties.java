package io.faro.core.kafka;

import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.Secret;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Kafka client properties for {@link KafkaSecurity}, then those of {@code FARO_KAFKA_PROPERTIES_FILE}
 * on top. Secrets go into the client's password-typed settings, which Kafka never logs.
 */
final class KafkaClientProperties {

    private static final String SCRAM = "SCRAM-SHA-512";

    private KafkaClientProperties() {
    }

    static Map<String, Object> of(KafkaSecurity security, Optional<Path> propertiesFile) {
        Map<String, Object> props = new HashMap<>();
        SecurityProtocol protocol = security.tls()
                ? (security.scram() ? SecurityProtocol.SASL_SSL : SecurityProtocol.SSL)
                : (security.scram() ? SecurityProtocol.SASL_PLAINTEXT : SecurityProtocol.PLAINTEXT);
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name);
        security.caCertificate().ifPresent(ca -> {
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ca.toString());
        });
        security.truststore().ifPresent(store -> {
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, store.toString());
            security.truststorePassword().ifPresent(password ->
                    props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, password.reveal()));
        });
        security.keystore().ifPresent(store -> {
            props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
            props.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, store.toString());
            security.keystorePassword().ifPresent(password -> {
                props.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, password.reveal());
                props.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, password.reveal());
            });
        });
        if (security.certificate().isPresent()) {
            // Strimzi's user.crt and user.key (unencrypted PKCS#8) are given to the client as PEM values.
            props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG,
                    read(security.certificate().get(), FaroConfig.KAFKA_TLS_CERT_FILE));
            props.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, read(security.key().orElseThrow(), FaroConfig.KAFKA_TLS_KEY_FILE));
        }
        security.scramUser().ifPresent(user -> {
            props.put(SaslConfigs.SASL_MECHANISM, SCRAM);
            props.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"" + quoted(user) + "\" password=\""
                    + quoted(security.scramPassword().map(Secret::reveal).orElse("")) + "\";");
        });
        propertiesFile.ifPresent(file -> props.putAll(load(file)));
        return props;
    }

    /** Escapes a JAAS option value for a double-quoted string. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String read(Path file, String variable) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(variable + "=" + file + " cannot be read: " + e.getMessage());
        }
    }

    private static Map<String, String> load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException(FaroConfig.KAFKA_PROPERTIES_FILE + "=" + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> loaded = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> loaded.put(name, properties.getProperty(name)));
        return loaded;
    }
}
