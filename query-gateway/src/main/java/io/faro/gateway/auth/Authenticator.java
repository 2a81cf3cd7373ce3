package io.faro.gateway.auth;

import io.faro.core.config.AuthSettings;
import io.faro.gateway.http.ProblemException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds who sent a request. An API key comes as {@code Authorization: Bearer faro_...} or as {@code X-API-Key:
 * faro_...}; an OIDC access token as {@code Authorization: Bearer <JWT>}. A bearer value that starts with
 * {@link ApiKey#PREFIX} is looked up as a key, anything else is checked as a token. Anything missing or wrong is a
 * 401 whose {@code WWW-Authenticate} says to send a bearer credential (RFC 6750), with {@code error="invalid_token"}
 * when one was sent and refused.
 */
final class Authenticator {

    static final HeaderName API_KEY_HEADER = HeaderNames.create("X-API-Key");
    private static final String BEARER = "bearer ";
    private static final String CHALLENGE = "Bearer realm=\"faro\"";

    private final Optional<ApiKeys> keys;
    private final Optional<OidcTokens> tokens;

    Authenticator(Optional<ApiKeys> keys, Optional<OidcTokens> tokens) {
        this.keys = keys;
        this.tokens = tokens;
    }

    static Authenticator create(AuthSettings settings) {
        return new Authenticator(settings.apiKeysFile().map(file -> ApiKeys.load(file, settings.limits())),
                settings.oidc().map(oidc -> new OidcTokens(oidc, settings.limits())));
    }

    Caller authenticate(ServerRequest request) {
        Optional<String> header = request.headers().first(API_KEY_HEADER);
        Optional<String> authorization = request.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isPresent() && authorization.isPresent()) {
            throw invalid("send the credential in one header, Authorization or X-API-Key, not both");
        }
        if (header.isPresent()) {
            return apiKey(header.get().strip());
        }
        if (authorization.isEmpty()) {
            throw ProblemException.unauthenticated("this gateway serves known callers only: send "
                    + (keys.isPresent() ? "an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'" : "")
                    + (keys.isPresent() && tokens.isPresent() ? ", or " : "")
                    + (tokens.isPresent() ? "an OIDC access token as 'Authorization: Bearer <token>'" : ""), CHALLENGE);
        }
        String value = authorization.get().strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            throw ProblemException.unauthenticated("only bearer credentials are taken: 'Authorization: Bearer"
                    + " <credential>'", CHALLENGE);
        }
        String credential = value.substring(BEARER.length()).strip();
        if (credential.startsWith(ApiKey.PREFIX) || tokens.isEmpty()) {
            return apiKey(credential);
        }
        try {
            return tokens.get().verify(credential);
        } catch (OidcTokens.InvalidToken e) {
            throw invalid(e.getMessage());
        }
    }

    private Caller apiKey(String key) {
        if (keys.isEmpty()) {
            throw invalid("this gateway takes no API keys; send an OIDC access token");
        }
        return keys.get().find(key).orElseThrow(() -> invalid("the API key is not known here: mistyped, revoked,"
                + " or made for another FARO"));
    }

    private static ProblemException invalid(String detail) {
        String description = detail.replaceAll("[^\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]", "'");
        return ProblemException.unauthenticated(detail, CHALLENGE + ", error=\"invalid_token\", error_description=\""
                + description + "\"");
    }
}
