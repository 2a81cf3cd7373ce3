package io.faro.gateway.auth;

import io.faro.gateway.console.ConsoleService;
import java.util.Optional;

/**
 * What a route asks of its caller. Health, metrics and the OpenAPI document are open, for Kubernetes' probes,
 * Prometheus and client generators, which carry no credentials; so is reading the console's page and files, which a
 * browser loads before it has a key and which hold no data (the API calls the page makes need a key like any other).
 * Reading (search, answers, a document's state) needs {@link Role#QUERY}; changing what is indexed
 * (publishing, replacing, deleting a document) needs {@link Role#PUBLISH}. Any other path needs a known caller and
 * no role, so that it answers 404 to a caller, and 401 to anyone else, without saying which paths exist.
 */
public sealed interface RouteAccess {

    record Open() implements RouteAccess {
    }

    /** A known caller; with a role, one that holds it. */
    record Authenticated(Optional<Role> role) implements RouteAccess {
    }

    RouteAccess OPEN = new Open();
    RouteAccess ANY_CALLER = new Authenticated(Optional.empty());
    RouteAccess QUERY = new Authenticated(Optional.of(Role.QUERY));
    RouteAccess PUBLISH = new Authenticated(Optional.of(Role.PUBLISH));

    static RouteAccess of(String method, String path) {
        if (path.equals("/metrics") || path.equals("/openapi") || path.equals("/health") || path.startsWith("/health/")) {
            return OPEN;
        }
        if ((method.equals("GET") || method.equals("HEAD")) && (path.equals(ConsoleService.PAGE)
                || path.startsWith(ConsoleService.FILE_PREFIX))) {
            return OPEN;
        }
        if (path.equals("/v1/search") || path.equals("/v1/query")) {
            return QUERY;
        }
        if (path.equals("/v1/documents") || path.startsWith("/v1/documents/")) {
            return method.equals("GET") || method.equals("HEAD") ? QUERY : PUBLISH;
        }
        return ANY_CALLER;
    }
}
