package io.faro.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.faro.core.access.AccessScope;
import io.faro.core.config.AuthSettings.CallerLimits;
import io.faro.core.config.AuthSettings.Oidc;
import io.faro.core.config.ConfigException;
import io.faro.gateway.http.ProblemException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * OIDC access tokens (signed JWTs) from one issuer: the signature is checked with a key of the issuer's JWKS, and
 * the token must carry the issuer as {@code iss}, the gateway's audience in {@code aud}, an {@code exp} still ahead
 * (within the leeway) and a subject. The JWKS is fetched when first needed and cached, refreshed ahead of its expiry
 * and again when a token names a key it does not hold (an issuer rotating its keys), at most once every few seconds
 * (nimbus's {@link JWKSourceBuilder} defaults). Only asymmetric signatures are taken: a shared secret would let
 * anyone who verifies tokens also make them.
 */
public final class OidcTokens {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private final Oidc settings;
    private final CallerLimits limits;
    private final DefaultJWTProcessor<SecurityContext> processor;

    public OidcTokens(Oidc settings, CallerLimits limits) {
        this.settings = settings;
        this.limits = limits;
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(settings.jwksUrl().toURL()).retrying(true).build();
        } catch (MalformedURLException e) {
            throw new ConfigException("the JWKS URL " + settings.jwksUrl() + " is not a URL: " + e.getMessage());
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                Set.of(settings.audience()),
                new JWTClaimsSet.Builder().issuer(settings.issuer().toString()).build(),
                Set.of("sub", "exp"), Set.of());
        claims.setMaxClockSkew((int) settings.leeway().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The caller a valid token stands for, or why the token is refused (a 401's {@code error_description}). */
    public Caller verify(String token) throws InvalidToken {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidToken("the bearer token is neither a FARO API key nor a JWT");
        } catch (KeySourceException e) {
            // the issuer is away, not the token wrong: the caller should try again, not fetch a new token
            throw ProblemException.unavailable("the OIDC issuer's signing keys cannot be fetched from "
                    + settings.jwksUrl().getHost() + " to check the token; try again", Duration.ofSeconds(5));
        } catch (BadJOSEException e) {
            throw new InvalidToken("the token was refused: " + e.getMessage());
        } catch (JOSEException e) {
            throw new InvalidToken("the token could not be checked: " + e.getMessage());
        }
        String tenant = claim(claims, settings.tenantClaim()).flatMap(OidcTokens::text)
                .orElseThrow(() -> new InvalidToken("the token has no '" + settings.tenantClaim()
                        + "' claim naming the caller's tenant (" + io.faro.core.config.FaroConfig.OIDC_TENANT_CLAIM
                        + ")"));
        Set<String> groups = new LinkedHashSet<>(strings(claim(claims, settings.groupsClaim())));
        Set<Role> roles = EnumSet.noneOf(Role.class);
        strings(claim(claims, settings.rolesClaim())).forEach(name -> Role.of(name).ifPresent(roles::add));
        String client = text(claims.getClaim("azp")).or(() -> text(claims.getClaim("client_id")))
                .orElse("token");
        return new Caller("oidc:" + claims.getSubject(), "oidc:" + client, AccessScope.of(tenant, groups), roles,
                limits);
    }

    /** The claim at a dotted path ({@code realm_access.roles}), or the claim of that very name. */
    private static Optional<Object> claim(JWTClaimsSet claims, String path) {
        Object direct = claims.getClaim(path);
        if (direct != null) {
            return Optional.of(direct);
        }
        Object current = claims.getClaims();
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            current = map.get(part);
        }
        return Optional.ofNullable(current);
    }

    private static Optional<String> text(Object value) {
        return value instanceof String text && !text.isBlank() ? Optional.of(text) : Optional.empty();
    }

    /** A list of strings, or one string of space-separated words (as {@code scope} is written). */
    private static List<String> strings(Optional<Object> value) {
        List<String> items = new ArrayList<>();
        value.ifPresent(v -> {
            if (v instanceof Collection<?> list) {
                list.forEach(item -> text(item).ifPresent(items::add));
            } else if (v instanceof String text) {
                items.addAll(List.of(text.trim().split("\\s+")));
            }
        });
        items.removeIf(String::isBlank);
        return items;
    }

    /** Why a token is refused; the message goes back to the caller, so it names no secret. */
    public static final class InvalidToken extends Exception {
        public InvalidToken(String message) {
            super(message);
        }
    }
}
