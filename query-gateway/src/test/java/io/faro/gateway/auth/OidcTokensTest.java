package io.faro.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import io.faro.core.access.AccessScope;
import io.faro.core.config.AuthSettings;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OIDC tokens against a stand-in issuer whose JWKS is served on 127.0.0.1, with tokens signed in the test. */
class OidcTokensTest {

    private TestIssuer issuer;
    private OidcTokens tokens;

    @BeforeEach
    void issuer() throws IOException, JOSEException {
        issuer = new TestIssuer();
        tokens = tokens(Map.of());
    }

    @AfterEach
    void close() {
        issuer.close();
    }

    private OidcTokens tokens(Map<String, String> more) {
        Map<String, String> vars = new HashMap<>(issuer.variables());
        vars.putAll(more);
        AuthSettings auth = FaroConfig.from(Env.of(vars)).auth();
        return new OidcTokens(auth.oidc().orElseThrow(), auth.limits());
    }

    @Test
    void shouldMapAValidTokensClaimsToTenantGroupsAndRoles() throws Exception {
        Caller caller = tokens.verify(issuer.token(claims -> claims));

        assertThat(caller.scope()).isEqualTo(AccessScope.of("acme", Set.of("eng")));
        assertThat(caller.roles()).containsExactly(Role.QUERY);
        assertThat(caller.id()).isEqualTo("oidc:user-42");
        assertThat(caller.client()).isEqualTo("oidc:search-spa");
    }

    @Test
    void shouldFetchTheJwksOnceForManyTokens() throws Exception {
        for (int i = 0; i < 5; i++) {
            tokens.verify(issuer.token(claims -> claims));
        }

        assertThat(issuer.jwksFetches()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnExpiredTokenBeyondTheLeewayAndTakeOneWithinIt() throws Exception {
        Instant now = Instant.now();
        String longExpired = issuer.token(claims -> claims.expirationTime(Date.from(now.minusSeconds(120))));
        String justExpired = issuer.token(claims -> claims.expirationTime(Date.from(now.minusSeconds(20))));

        assertThatThrownBy(() -> tokens.verify(longExpired)).isInstanceOf(OidcTokens.InvalidToken.class)
                .hasMessageContaining("xpired");
        assertThat(tokens.verify(justExpired).scope().tenant()).isEqualTo("acme");
        // with no leeway, the one just expired is refused too
        assertThatThrownBy(() -> tokens(Map.of(FaroConfig.OIDC_LEEWAY_S, "0")).verify(justExpired))
                .isInstanceOf(OidcTokens.InvalidToken.class);
    }

    @Test
    void shouldRefuseATokenForAnotherAudience() throws Exception {
        String token = issuer.token(claims -> claims.audience("another-api"));

        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(OidcTokens.InvalidToken.class)
                .hasMessageContaining("aud");
    }

    @Test
    void shouldRefuseATokenOfAnotherIssuer() throws Exception {
        String token = issuer.token(claims -> claims.issuer("https://evil.example.com/realms/faro"));

        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(OidcTokens.InvalidToken.class)
                .hasMessageContaining("iss");
    }

    @Test
    void shouldRefuseATokenSignedByAnotherKey() throws Exception {
        String forged = issuer.forged(claims -> claims);

        assertThatThrownBy(() -> tokens.verify(forged)).isInstanceOf(OidcTokens.InvalidToken.class)
                .hasMessageContaining("ignature");
    }

    @Test
    void shouldRefuseATokenWithoutATenantNamingTheClaim() throws Exception {
        String token = issuer.token(claims -> claims.claim("tenant", null));

        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(OidcTokens.InvalidToken.class)
                .hasMessageContaining("'tenant'");
    }

    @Test
    void shouldRefuseSomethingThatIsNoJwt() {
        assertThatThrownBy(() -> tokens.verify("not-a-token")).isInstanceOf(OidcTokens.InvalidToken.class);
    }

    @Test
    void shouldReadClaimsAtADottedPathAndRolesFromAScopeString() throws Exception {
        OidcTokens keycloak = tokens(Map.of(FaroConfig.OIDC_TENANT_CLAIM, "org.id",
                FaroConfig.OIDC_ROLES_CLAIM, "scope", FaroConfig.OIDC_GROUPS_CLAIM, "realm_access.roles"));
        String token = issuer.token(claims -> claims.claim("org", Map.of("id", "globex"))
                .claim("scope", "openid query publish")
                .claim("realm_access", Map.of("roles", List.of("eng", "ops"))));

        Caller caller = keycloak.verify(token);

        assertThat(caller.scope()).isEqualTo(AccessScope.of("globex", Set.of("eng", "ops")));
        assertThat(caller.roles()).containsExactlyInAnyOrder(Role.QUERY, Role.PUBLISH);
    }
}
