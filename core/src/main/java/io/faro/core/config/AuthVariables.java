package io.faro.core.config;

import static io.faro.core.config.FaroConfig.API_KEYS_FILE;
import static io.faro.core.config.FaroConfig.AUTH;
import static io.faro.core.config.FaroConfig.CALLER_BURST;
import static io.faro.core.config.FaroConfig.CALLER_CONCURRENCY;
import static io.faro.core.config.FaroConfig.CALLER_RATE_PER_S;
import static io.faro.core.config.FaroConfig.DEFAULT_CALLER_CONCURRENCY;
import static io.faro.core.config.FaroConfig.DEFAULT_CALLER_RATE_PER_S;
import static io.faro.core.config.FaroConfig.DEFAULT_OIDC_GROUPS_CLAIM;
import static io.faro.core.config.FaroConfig.DEFAULT_OIDC_LEEWAY_S;
import static io.faro.core.config.FaroConfig.DEFAULT_OIDC_ROLES_CLAIM;
import static io.faro.core.config.FaroConfig.DEFAULT_OIDC_TENANT_CLAIM;
import static io.faro.core.config.FaroConfig.OIDC_AUDIENCE;
import static io.faro.core.config.FaroConfig.OIDC_GROUPS_CLAIM;
import static io.faro.core.config.FaroConfig.OIDC_ISSUER;
import static io.faro.core.config.FaroConfig.OIDC_JWKS_URL;
import static io.faro.core.config.FaroConfig.OIDC_LEEWAY_S;
import static io.faro.core.config.FaroConfig.OIDC_ROLES_CLAIM;
import static io.faro.core.config.FaroConfig.OIDC_TENANT_CLAIM;

import io.faro.core.config.AuthSettings.CallerLimits;
import io.faro.core.config.AuthSettings.Method;
import io.faro.core.config.AuthSettings.Oidc;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code FARO_AUTH} and what goes with it. {@code FARO_AUTH} is {@code off}, or the methods a caller may use,
 * separated by commas: {@code api-keys}, {@code oidc}. Unset, it follows from what is configured: API keys when
 * {@code FARO_API_KEYS_FILE} is set, OIDC when {@code FARO_OIDC_ISSUER} is, off when neither is.
 */
final class AuthVariables {

    private AuthVariables() {
    }

    static AuthSettings read(Env env) {
        Optional<String> declared = env.optional(AUTH);
        Set<Method> methods = declared.map(AuthVariables::methods).orElseGet(() -> derived(env));
        Optional<java.nio.file.Path> keysFile = env.file(API_KEYS_FILE);
        if (methods.contains(Method.API_KEYS) && keysFile.isEmpty()) {
            throw new ConfigException(AUTH + " takes API keys but " + API_KEYS_FILE + " is not set; name the file of"
                    + " hashed keys (README \"Authentication\"; faro api-key create makes one)");
        }
        Optional<Oidc> oidc = methods.contains(Method.OIDC) ? Optional.of(oidc(env)) : Optional.empty();
        int rate = env.integer(CALLER_RATE_PER_S, DEFAULT_CALLER_RATE_PER_S, 0, 1_000_000);
        CallerLimits limits = new CallerLimits(rate,
                env.integer(CALLER_BURST, 2 * rate, 0, 10_000_000),
                env.integer(CALLER_CONCURRENCY, DEFAULT_CALLER_CONCURRENCY, 0, 100_000));
        if (limits.requestsPerSecond() > 0 && limits.burst() < 1) {
            throw new ConfigException(CALLER_BURST + "=0 lets no request through; give at least 1, or set "
                    + CALLER_RATE_PER_S + "=0 for no rate limit");
        }
        return new AuthSettings(methods, declared.isPresent(), methods.contains(Method.API_KEYS) ? keysFile
                : Optional.empty(), oidc, limits);
    }

    private static Set<Method> methods(String raw) {
        String value = raw.toLowerCase(Locale.ROOT);
        if (value.equals("off")) {
            return Set.of();
        }
        Set<Method> methods = EnumSet.noneOf(Method.class);
        for (String part : value.split(",")) {
            String name = part.trim();
            methods.add(Arrays.stream(Method.values()).filter(m -> Env.spelling(m).equals(name)).findFirst()
                    .orElseThrow(() -> new ConfigException(AUTH + "=" + raw + " is not off, api-keys, oidc or"
                            + " api-keys,oidc")));
        }
        return methods;
    }

    private static Set<Method> derived(Env env) {
        Set<Method> methods = EnumSet.noneOf(Method.class);
        env.optional(API_KEYS_FILE).ifPresent(file -> methods.add(Method.API_KEYS));
        env.optional(OIDC_ISSUER).ifPresent(issuer -> methods.add(Method.OIDC));
        return methods;
    }

    private static Oidc oidc(Env env) {
        URI issuer = uri(env.optional(OIDC_ISSUER).orElseThrow(() -> new ConfigException(AUTH + " takes OIDC tokens"
                + " but " + OIDC_ISSUER + " is not set; give the issuer's URL, exactly as its tokens' iss says")),
                OIDC_ISSUER);
        String audience = env.optional(OIDC_AUDIENCE).orElseThrow(() -> new ConfigException(OIDC_ISSUER
                + " is set but " + OIDC_AUDIENCE + " is not; name the audience (aud) tokens for this gateway carry"));
        URI jwks = uri(env.optional(OIDC_JWKS_URL).orElseThrow(() -> new ConfigException(OIDC_ISSUER
                + " is set but " + OIDC_JWKS_URL + " is not; give the issuer's jwks_uri (from its"
                + " /.well-known/openid-configuration)")), OIDC_JWKS_URL);
        return new Oidc(issuer, audience, jwks,
                Duration.ofSeconds(env.integer(OIDC_LEEWAY_S, DEFAULT_OIDC_LEEWAY_S, 0, 600)),
                env.string(OIDC_TENANT_CLAIM, DEFAULT_OIDC_TENANT_CLAIM),
                env.string(OIDC_GROUPS_CLAIM, DEFAULT_OIDC_GROUPS_CLAIM),
                env.string(OIDC_ROLES_CLAIM, DEFAULT_OIDC_ROLES_CLAIM));
    }

    private static URI uri(String raw, String name) {
        try {
            URI uri = new URI(raw);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(name + "=" + raw + " is not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(name + "=" + raw + " is not a URL: " + e.getMessage());
        }
    }
}
