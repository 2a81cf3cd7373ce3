package io.faro.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call the gateway and how much. Off, every request sees everything: {@code faro up} on localhost for
 * one person. On, a caller proves who it is with an API key (kept hashed in a file) or an OIDC bearer token, and
 * each caller is held to a request rate and a number of requests at once.
 *
 * @param methods   how callers may prove who they are; empty: authentication is off
 * @param explicit  whether {@code FARO_AUTH} was set rather than derived from what else is set; the gateway serves
 *                  without authentication beyond loopback only when told so in as many words
 * @param apiKeysFile the hashed keys, when {@link Method#API_KEYS} is on
 * @param oidc      the issuer whose tokens are taken, when {@link Method#OIDC} is on
 * @param limits    what one caller may do, unless its key says otherwise
 */
public record AuthSettings(Set<Method> methods, boolean explicit, Optional<Path> apiKeysFile, Optional<Oidc> oidc,
                           CallerLimits limits) {

    /** How a caller proves who it is. */
    public enum Method { API_KEYS, OIDC }

    /**
     * An OIDC issuer's tokens (JWTs signed with a key of its JWKS).
     *
     * @param issuer      the {@code iss} a token must carry, exactly
     * @param audience    an {@code aud} the token must name (this gateway's client id or API identifier)
     * @param jwksUrl     where the issuer publishes its signing keys
     * @param leeway      how far a token's {@code exp} and {@code nbf} may be off, for clocks that differ
     * @param tenantClaim the claim naming the caller's tenant; a dotted path reaches into an object
     * @param groupsClaim the claim listing the caller's groups (absent: none)
     * @param rolesClaim  the claim listing the caller's roles ({@code query}, {@code publish}); a space-separated
     *                    string ({@code scope}) works too
     */
    public record Oidc(URI issuer, String audience, URI jwksUrl, Duration leeway, String tenantClaim,
                       String groupsClaim, String rolesClaim) {
    }

    /**
     * What one caller may do on one gateway replica (the counts are kept in each replica's memory).
     *
     * @param requestsPerSecond the sustained request rate; 0: no rate limit
     * @param burst             requests above the rate a caller may send at once after being idle
     * @param concurrency       requests of one caller served at once; 0: no limit
     */
    public record CallerLimits(int requestsPerSecond, int burst, int concurrency) {
    }

    /** Authentication off, as {@code faro up} runs by default. */
    public static AuthSettings off() {
        return new AuthSettings(Set.of(), false, Optional.empty(), Optional.empty(), new CallerLimits(0, 0, 0));
    }

    public AuthSettings {
        methods = methods.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(methods));
    }

    public boolean enabled() {
        return !methods.isEmpty();
    }
}
