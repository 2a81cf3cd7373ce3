package io.faro.core.kafka;

import io.faro.core.FaroException;
import io.faro.core.config.FaroConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Checks at start-up that FARO can talk to Kafka with its settings, and when it cannot, says which
 * setting is wrong: an unreadable keystore or a wrong password for it, a broker certificate the CA does
 * not sign, a client certificate or SCRAM credentials the broker refuses, or no broker at that address.
 * Messages name the variables, never a secret.
 */
public final class KafkaConnection {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private KafkaConnection() {
    }

    public static void check(KafkaSettings kafka) {
        String where = "Kafka at " + kafka.bootstrapServers();
        Admin admin;
        try {
            admin = Admin.create(kafka.clientProperties(Map.of(
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2)));
        } catch (KafkaException e) {
            throw new FaroException("cannot set up the Kafka client: " + clientSetup(kafka.security(), e), e);
        }
        try (admin) {
            admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaroException("interrupted while connecting to " + where, e);
        } catch (ExecutionException e) {
            throw new FaroException(refused(where, kafka.security(), e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new FaroException("no answer from " + where + " within " + TIMEOUT.toSeconds() + " s. Is "
                    + FaroConfig.KAFKA_BOOTSTRAP + " right, the broker running, and the listener's security what FARO"
                    + " speaks (" + protocol(kafka.security()) + ")?", e);
        }
    }

    /** Which file or password the client could not use, from Kafka's messages (which name the file). */
    private static String clientSetup(KafkaSecurity security, KafkaException e) {
        String cause = rootMessage(e);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (security.keystore().filter(store -> message.contains(store.toString())).isPresent()) {
                return FaroConfig.KAFKA_TLS_KEYSTORE_FILE + " cannot be opened with the password of "
                        + FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE + " (or " + FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD
                        + "): is it a PKCS12 keystore, and the password the user.password of the same KafkaUser"
                        + " secret? (" + cause + ")";
            }
            if (security.truststore().filter(store -> message.contains(store.toString())).isPresent()) {
                return FaroConfig.KAFKA_TLS_TRUSTSTORE_FILE + " cannot be opened with the password of "
                        + FaroConfig.KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE + " (or "
                        + FaroConfig.KAFKA_TLS_TRUSTSTORE_PASSWORD + "): is it a PKCS12 truststore, and the password"
                        + " the ca.password of the same cluster CA secret? (" + cause + ")";
            }
            if (message.contains("PEM keystore")) {
                return FaroConfig.KAFKA_TLS_CERT_FILE + " and " + FaroConfig.KAFKA_TLS_KEY_FILE + " must hold a PEM"
                        + " certificate and its unencrypted PKCS#8 private key, as Strimzi's user.crt and user.key do ("
                        + cause + ")";
            }
            if (message.contains("PEM truststore")) {
                return FaroConfig.KAFKA_TLS_CA_FILE + " must hold PEM certificates, as Strimzi's ca.crt does ("
                        + cause + ")";
            }
        }
        return cause;
    }

    private static String refused(String where, KafkaSecurity security, Throwable cause) {
        if (cause instanceof SaslAuthenticationException) {
            return where + " refused the SCRAM-SHA-512 credentials of user '" + security.scramUser().orElse("")
                    + "': check " + FaroConfig.KAFKA_SCRAM_USER + " and " + FaroConfig.KAFKA_SCRAM_PASSWORD_FILE
                    + " (Strimzi's KafkaUser secret)";
        }
        if (cause instanceof SslAuthenticationException) {
            String detail = rootMessage(cause);
            if (detail.contains("PKIX") || detail.contains("unable to find valid certification path")
                    || detail.contains("No subject alternative") || detail.contains("No name matching")) {
                return "the TLS handshake with " + where + " failed: its certificate is not signed by the CA in "
                        + (security.truststore().isPresent() ? FaroConfig.KAFKA_TLS_TRUSTSTORE_FILE
                                : FaroConfig.KAFKA_TLS_CA_FILE) + ", or does not name that host (" + detail + ")";
            }
            return "the TLS handshake with " + where + " failed: the broker refused this client"
                    + (security.clientCertificate() ? "'s certificate: check " + FaroConfig.KAFKA_TLS_KEYSTORE_FILE
                            + " or " + FaroConfig.KAFKA_TLS_CERT_FILE + " (is it the KafkaUser's, signed by the clients CA?)"
                            : ": does the listener want a client certificate? Set " + FaroConfig.KAFKA_TLS_KEYSTORE_FILE
                            + " or " + FaroConfig.KAFKA_TLS_CERT_FILE) + " (" + detail + ")";
        }
        return "cannot talk to " + where + ": " + rootMessage(cause);
    }

    private static String protocol(KafkaSecurity security) {
        return security.tls() ? (security.scram() ? "SASL_SSL" : "SSL") : (security.scram() ? "SASL_PLAINTEXT" : "PLAINTEXT");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
