package io.faro.cli.security;

import io.faro.core.Component;
import io.faro.core.config.FaroConfig;
import io.faro.devstack.testing.SecuredKafka;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A credential or certificate that is wrong in one way, the component that is started with it, and what
 * its start-up failure must say: the variable to fix and what is wrong with it.
 */
enum Refusal {

    WRONG_SCRAM_PASSWORD(Component.INGEST, FaroConfig.KAFKA_SCRAM_PASSWORD_FILE, "refused the SCRAM-SHA-512 credentials"),
    UNTRUSTED_CLIENT_CERTIFICATE(Component.SINK_PGVECTOR, FaroConfig.KAFKA_TLS_KEYSTORE_FILE, "refused this client"),
    BROKER_NOT_SIGNED_BY_CA(Component.GATEWAY, FaroConfig.KAFKA_TLS_CA_FILE, "is not signed by the CA"),
    WRONG_KEYSTORE_PASSWORD(Component.SINK_QDRANT, FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE,
            "cannot be opened with the password");

    final Component component;
    final String variable;
    final String complaint;

    Refusal(Component component, String variable, String complaint) {
        this.component = component;
        this.variable = variable;
        this.complaint = complaint;
    }

    /** A way that works, with one thing in it made wrong; files it needs go under {@code dir}. */
    Map<String, String> variables(SecuredKafka kafka, Path dir) {
        Map<String, String> variables;
        switch (this) {
            case WRONG_SCRAM_PASSWORD -> {
                variables = new HashMap<>(Way.SCRAM_OVER_TLS.variables(kafka));
                Path wrong = dir.resolve("password");
                kafka.writePassword(wrong);
                variables.put(FaroConfig.KAFKA_SCRAM_PASSWORD_FILE, wrong.toString());
            }
            case UNTRUSTED_CLIENT_CERTIFICATE -> {
                variables = new HashMap<>(Way.MTLS_USER_P12.variables(kafka));
                Path stranger = kafka.untrustedUserSecret(dir);
                variables.put(FaroConfig.KAFKA_TLS_KEYSTORE_FILE, stranger.resolve("user.p12").toString());
                variables.put(FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE, stranger.resolve("user.password").toString());
            }
            case BROKER_NOT_SIGNED_BY_CA -> {
                variables = new HashMap<>(Way.SCRAM_OVER_TLS.variables(kafka));
                variables.put(FaroConfig.KAFKA_TLS_CA_FILE, kafka.foreignClusterCaSecret(dir).resolve("ca.crt").toString());
            }
            case WRONG_KEYSTORE_PASSWORD -> {
                variables = new HashMap<>(Way.MTLS_USER_P12.variables(kafka));
                Path wrong = dir.resolve("user.password");
                kafka.writePassword(wrong);
                variables.put(FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE, wrong.toString());
            }
            default -> throw new IllegalStateException(name());
        }
        return variables;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
