package io.faro.gateway.auth;

import io.faro.core.access.AccessScope;
import io.helidon.webserver.http.ServerRequest;

/**
 * How the gateway learns what a request's caller may see: the first filter asks this once per request and
 * registers the answer ({@link Callers#register}). Authentication supplies the real one; it may refuse a
 * request by throwing a {@code ProblemException} (401, 403). Tests supply their own to act as a given caller.
 */
@FunctionalInterface
public interface CallerScopes {

    /** Every caller sees everything: authentication off, as on localhost. */
    CallerScopes UNRESTRICTED = request -> AccessScope.UNRESTRICTED;

    AccessScope scopeOf(ServerRequest request);
}
