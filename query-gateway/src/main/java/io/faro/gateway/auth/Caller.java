package io.faro.gateway.auth;

import io.faro.core.access.AccessScope;
import io.faro.core.config.AuthSettings.CallerLimits;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who sent a request, once authenticated: what it may see ({@link AccessScope}), what it may do ({@link Role}s), and
 * the limits it is held to.
 *
 * @param id     what its limits are counted under: an API key's id, or an OIDC token's subject
 * @param client what its rejections are counted under in metrics: an API key's id, or the OIDC client that asked for
 *               the token (one label for all of a client's users, so that the series stay few)
 * @param limits its request rate and concurrency; {@link #UNLIMITED} for none
 */
public record Caller(String id, String client, AccessScope scope, Set<Role> roles, CallerLimits limits) {

    public static final CallerLimits UNLIMITED = new CallerLimits(0, 0, 0);

    /** Every request when authentication is off: sees everything, may do everything, is never limited. */
    public static final Caller LOCAL = new Caller("local", "local", AccessScope.UNRESTRICTED, EnumSet.allOf(Role.class),
            UNLIMITED);

    public Caller {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(scope, "scope");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }
}
