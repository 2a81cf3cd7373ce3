package io.faro.devstack.testing;

import static org.awaitility.Awaitility.await;

import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.devstack.testing.TestCertificates.Issued;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * One KRaft broker secured the way Strimzi secures Kafka, for tests of FARO's clients. A cluster CA signs
 * the broker's certificate (for {@code localhost} and {@code 127.0.0.1}); a separate clients CA signs the
 * KafkaUsers' certificates. Three listeners:
 * <ul>
 *   <li>{@code PLAINTEXT}: between the broker and itself, and for the test's own admin;</li>
 *   <li>{@code SCRAM} ({@code SASL_SSL}): SCRAM-SHA-512 over TLS, user {@link #SCRAM_USER};</li>
 *   <li>{@code TLS} ({@code SSL}, {@code ssl.client.auth=required}): a client certificate the clients CA signed.</li>
 * </ul>
 * The files are laid out as Strimzi's secrets are mounted: {@code cluster-ca-cert/} ({@code ca.crt},
 * {@code ca.p12}, {@code ca.password}), the TLS KafkaUser's {@code faro-tls/} ({@code ca.crt} of the clients
 * CA, {@code user.crt}, {@code user.key}, {@code user.p12}, {@code user.password}) and the SCRAM KafkaUser's
 * {@code faro-scram/password}. Every password and private key written is listed by {@link #secrets()}.
 */
public final class SecuredKafka implements AutoCloseable {

    public static final String SCRAM_USER = "faro-scram";
    public static final String TLS_USER = "faro-tls";
    private static final String SCRAM_LISTENER = "SCRAM";
    private static final String TLS_LISTENER = "TLS";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EmbeddedKafkaBroker broker;
    private final int scramPort;
    private final int tlsPort;
    private final Path dir;
    private final List<String> secrets = new CopyOnWriteArrayList<>();

    private SecuredKafka(EmbeddedKafkaBroker broker, int scramPort, int tlsPort, Path dir) {
        this.broker = broker;
        this.scramPort = scramPort;
        this.tlsPort = tlsPort;
        this.dir = dir;
    }

    /** Makes the certificates and files under {@code dir}, starts the broker and creates the SCRAM user. */
    public static SecuredKafka start(Path dir) {
        Issued clusterCa = TestCertificates.authority("faro-test-cluster-ca");
        Issued clientsCa = TestCertificates.authority("faro-test-clients-ca");
        Issued brokerCertificate = TestCertificates.issue(clusterCa, "faro-kafka-0", List.of("localhost"),
                List.of("127.0.0.1"));
        Path brokerDir = dir.resolve("broker");
        mkdirs(brokerDir);
        String brokerPassword = password();
        Path keystore = TestCertificates.writeKeystore(brokerDir.resolve("broker.p12"), brokerCertificate,
                clusterCa.certificate(), brokerPassword);
        Path clientsTruststore = TestCertificates.writeTruststore(brokerDir.resolve("clients-ca.p12"),
                clientsCa.certificate(), brokerPassword);
        int scramPort = TestPostgres.freePort();
        int tlsPort = TestPostgres.freePort();
        String tls = "listener.name." + TLS_LISTENER.toLowerCase(Locale.ROOT) + ".";
        String scram = "listener.name." + SCRAM_LISTENER.toLowerCase(Locale.ROOT) + ".";
        Map<String, String> properties = Map.ofEntries(
                // both TLS listeners present the broker's certificate
                Map.entry("ssl.keystore.type", "PKCS12"),
                Map.entry("ssl.keystore.location", keystore.toString()),
                Map.entry("ssl.keystore.password", brokerPassword),
                Map.entry("ssl.key.password", brokerPassword),
                Map.entry(scram + "sasl.enabled.mechanisms", "SCRAM-SHA-512"),
                Map.entry(scram + "scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry(tls + "ssl.client.auth", "required"),
                Map.entry(tls + "ssl.truststore.type", "PKCS12"),
                Map.entry(tls + "ssl.truststore.location", clientsTruststore.toString()),
                Map.entry(tls + "ssl.truststore.password", brokerPassword));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), TestPostgres.freePort(),
                List.of(new EmbeddedKafkaBroker.Listener(SCRAM_LISTENER, scramPort, "SASL_SSL"),
                        new EmbeddedKafkaBroker.Listener(TLS_LISTENER, tlsPort, "SSL")),
                properties);
        SecuredKafka kafka = new SecuredKafka(broker, scramPort, tlsPort, dir);
        try {
            kafka.secrets.add(brokerPassword);
            kafka.writeClusterCaSecret(kafka.clusterCaSecret(), clusterCa);
            kafka.writeUserSecret(kafka.tlsUserSecret(), clientsCa);
            String scramPassword = kafka.writePassword(kafka.scramPasswordFile());
            kafka.createScramUser(scramPassword);
            return kafka;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** The plaintext listener: for the test's own clients, never for FARO's. */
    public String plaintextBootstrap() {
        return broker.bootstrapServers();
    }

    /** The SASL_SSL listener: SCRAM-SHA-512 over TLS. */
    public String scramBootstrap() {
        return "localhost:" + scramPort;
    }

    /** The SSL listener that wants a client certificate signed by the clients CA. */
    public String tlsBootstrap() {
        return "localhost:" + tlsPort;
    }

    /** Strimzi's {@code <cluster>-cluster-ca-cert} secret: {@code ca.crt}, {@code ca.p12}, {@code ca.password}. */
    public Path clusterCaSecret() {
        return dir.resolve("cluster-ca-cert");
    }

    /** The secret of KafkaUser {@link #TLS_USER} ({@code authentication: tls}). */
    public Path tlsUserSecret() {
        return dir.resolve(TLS_USER);
    }

    /** The {@code password} of KafkaUser {@link #SCRAM_USER}'s secret ({@code authentication: scram-sha-512}). */
    public Path scramPasswordFile() {
        return dir.resolve(SCRAM_USER).resolve("password");
    }

    /** A KafkaUser secret laid out as {@link #tlsUserSecret()}'s, signed by a clients CA this broker does not trust. */
    public Path untrustedUserSecret(Path secretDir) {
        return writeUserSecret(secretDir, TestCertificates.authority("faro-test-stranger-clients-ca"));
    }

    /** A cluster CA secret laid out as {@link #clusterCaSecret()}'s, of a CA that did not sign this broker's certificate. */
    public Path foreignClusterCaSecret(Path secretDir) {
        return writeClusterCaSecret(secretDir, TestCertificates.authority("faro-test-other-cluster-ca"));
    }

    /**
     * What must never be printed: every password this fixture wrote, and each line of the base64 body of
     * every private key it wrote for a client (a key printed in any form holds at least one of them).
     */
    public List<String> secrets() {
        return List.copyOf(secrets);
    }

    /** A random password, listed in {@link #secrets()}, written to {@code file}. */
    public String writePassword(Path file) {
        String password = password();
        secrets.add(password);
        mkdirs(file.getParent());
        write(file, password);
        return password;
    }

    @Override
    public void close() {
        broker.close();
    }

    private Path writeClusterCaSecret(Path secretDir, Issued ca) {
        String password = password();
        secrets.add(password);
        return TestCertificates.clusterCaSecret(secretDir, ca, password);
    }

    private Path writeUserSecret(Path secretDir, Issued clientsCa) {
        String password = password();
        secrets.add(password);
        Issued user = TestCertificates.issue(clientsCa, TLS_USER, List.of(), List.of());
        TestCertificates.userSecret(secretDir, clientsCa, user, password);
        try {
            Files.readAllLines(secretDir.resolve("user.key"), StandardCharsets.US_ASCII).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("-----"))
                    .forEach(secrets::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return secretDir;
    }

    private void createScramUser(String password) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintextBootstrap()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(SCRAM_USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(30, TimeUnit.SECONDS);
            // The broker authenticates against its copy of the metadata, which follows the controller's.
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin.describeUserScramCredentials(List.of(SCRAM_USER))
                    .all().get(10, TimeUnit.SECONDS).containsKey(SCRAM_USER));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the SCRAM user", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the SCRAM user " + SCRAM_USER + ": " + e, e);
        }
    }

    private static String password() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
