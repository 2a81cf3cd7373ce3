package io.faro.devstack.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made by a test: certificate authorities, and certificates they sign for servers (with
 * their host names and addresses) and for clients; written as files laid out the way Strimzi's secrets
 * hold them ({@code ca.crt}, {@code ca.p12}, {@code ca.password}; {@code user.crt}, {@code user.key},
 * {@code user.p12}, {@code user.password}), or as a server's key and certificate in PEM.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    /** A certificate and its private key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
    }

    /** A self-signed certificate authority. */
    public static Issued authority(String commonName) {
        KeyPair keys = keyPair();
        X500Name name = new X500Name("CN=" + commonName + ", O=faro-test");
        X509v3CertificateBuilder builder = builder(name, name, keys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Issued(sign(builder, keys.getPrivate()), keys.getPrivate());
    }

    /** A certificate signed by {@code ca} for {@code commonName}, valid for these DNS names and IP addresses. */
    public static Issued issue(Issued ca, String commonName, List<String> dnsNames, List<String> ipAddresses) {
        KeyPair keys = keyPair();
        X509v3CertificateBuilder builder = builder(X500Name.getInstance(
                ca.certificate().getSubjectX500Principal().getEncoded()), new X500Name("CN=" + commonName), keys);
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Issued(sign(builder, ca.key()), keys.getPrivate());
    }

    /** Strimzi's {@code <cluster>-cluster-ca-cert} secret: {@code ca.crt}, {@code ca.p12}, {@code ca.password}. */
    public static Path clusterCaSecret(Path dir, Issued ca, String password) {
        mkdirs(dir);
        writePem(dir.resolve("ca.crt"), ca.certificate());
        writeTruststore(dir.resolve("ca.p12"), ca.certificate(), password);
        write(dir.resolve("ca.password"), password);
        return dir;
    }

    /**
     * Strimzi's secret of a KafkaUser with TLS authentication: {@code ca.crt} (the clients CA),
     * {@code user.crt}, {@code user.key} (unencrypted PKCS#8), {@code user.p12} and {@code user.password}.
     */
    public static Path userSecret(Path dir, Issued clientsCa, Issued user, String password) {
        mkdirs(dir);
        writePem(dir.resolve("ca.crt"), clientsCa.certificate());
        writePem(dir.resolve("user.crt"), user.certificate());
        writeKey(dir.resolve("user.key"), user.key());
        writeKeystore(dir.resolve("user.p12"), user, clientsCa.certificate(), password);
        write(dir.resolve("user.password"), password);
        return dir;
    }

    public static Path writePem(Path file, X509Certificate... certificates) {
        StringBuilder pem = new StringBuilder();
        try {
            for (X509Certificate certificate : certificates) {
                pem.append(pem("CERTIFICATE", certificate.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return write(file, pem.toString());
    }

    public static Path writeKey(Path file, PrivateKey key) {
        return write(file, pem("PRIVATE KEY", key.getEncoded()));
    }

    /** A PKCS12 keystore holding the certificate, its key and the CA that signed it. */
    public static Path writeKeystore(Path file, Issued issued, X509Certificate ca, String password) {
        return store(file, password, keyStore -> keyStore.setKeyEntry("user", issued.key(), password.toCharArray(),
                new Certificate[] {issued.certificate(), ca}));
    }

    /** A PKCS12 truststore holding one CA certificate. */
    public static Path writeTruststore(Path file, X509Certificate ca, String password) {
        return store(file, password, keyStore -> keyStore.setCertificateEntry("ca", ca));
    }

    private interface Filler {
        void fill(KeyStore store) throws GeneralSecurityException;
    }

    private static Path store(Path file, String password, Filler filler) {
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            filler.fill(keyStore);
            keyStore.store(out, password.toCharArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
