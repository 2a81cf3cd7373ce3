package io.faro.gateway;

import io.faro.core.access.AccessScope;
import io.faro.gateway.auth.CallerScopes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderName;
import java.util.Set;

/**
 * Callers for tests, until authentication exists: a request says who it is in {@link #HEADER}, as
 * {@code tenant} or {@code tenant:group,group}; a request without it is unrestricted (authentication off).
 * Test code only: a real gateway never believes a caller's own word.
 */
public final class TestCallers {

    public static final String HEADER = "X-Test-Caller";
    private static final HeaderName NAME = HeaderNames.create(HEADER);

    public static final CallerScopes FROM_HEADER = request -> request.headers().first(NAME)
            .map(TestCallers::parse)
            .orElse(AccessScope.UNRESTRICTED);

    private TestCallers() {
    }

    static AccessScope parse(String caller) {
        String[] parts = caller.split(":", 2);
        return AccessScope.of(parts[0], parts.length == 1 ? Set.of() : Set.of(parts[1].split(",")));
    }
}
