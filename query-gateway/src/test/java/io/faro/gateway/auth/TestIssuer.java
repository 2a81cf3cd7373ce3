package io.faro.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.faro.core.config.FaroConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A stand-in OIDC issuer on 127.0.0.1: it publishes its public key as a JWKS (as an issuer's {@code jwks_uri} does)
 * and signs tokens with the private one, RS256, as Keycloak, Entra ID or Auth0 would.
 */
final class TestIssuer implements AutoCloseable {

    static final String AUDIENCE = "faro-gateway";
    static final String KEY_ID = "key-1";

    private final RSAKey key;
    private final HttpServer server;
    private final AtomicInteger jwksFetches = new AtomicInteger();

    TestIssuer() throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/faro";
    }

    URI jwksUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    int jwksFetches() {
        return jwksFetches.get();
    }

    /** The variables that point a gateway at this issuer. */
    Map<String, String> variables() {
        return Map.of(FaroConfig.OIDC_ISSUER, issuer(), FaroConfig.OIDC_AUDIENCE, AUDIENCE,
                FaroConfig.OIDC_JWKS_URL, jwksUrl().toString());
    }

    /** A valid token for tenant acme, group eng, role query, expiring in five minutes; {@code change} alters it. */
    String token(UnaryOperator<JWTClaimsSet.Builder> change) throws JOSEException {
        return sign(change, key);
    }

    /** A token signed by another key under this issuer's key id: a forgery. */
    String forged(UnaryOperator<JWTClaimsSet.Builder> change) throws JOSEException {
        return sign(change, new RSAKeyGenerator(2048).keyID(KEY_ID).generate());
    }

    private String sign(UnaryOperator<JWTClaimsSet.Builder> change, RSAKey signer) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = change.apply(new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(AUDIENCE)
                .subject("user-42")
                .claim("azp", "search-spa")
                .claim("tenant", "acme")
                .claim("groups", java.util.List.of("eng"))
                .claim("roles", java.util.List.of("query"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID).build(), claims);
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
