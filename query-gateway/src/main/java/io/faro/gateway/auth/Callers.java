package io.faro.gateway.auth;

import io.faro.core.access.AccessScope;
import io.helidon.webserver.http.ServerRequest;

/**
 * The caller's {@link AccessScope}, which the gateway's first filter registers in each request's context.
 * A request without one fails rather than seeing everything: the scope is never guessed.
 */
public final class Callers {

    private Callers() {
    }

    public static void register(ServerRequest request, AccessScope scope) {
        request.context().register(scope);
    }

    public static AccessScope scopeOf(ServerRequest request) {
        return request.context().get(AccessScope.class)
                .orElseThrow(() -> new IllegalStateException("no access scope registered for "
                        + request.path().absolute().path() + ": the gateway's caller filter did not run"));
    }
}
