package io.faro.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.config.AuthSettings.Method;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthVariablesTest {

    @TempDir
    Path dir;

    private static AuthSettings auth(Map<String, String> vars) {
        return FaroConfig.from(Env.of(vars)).auth();
    }

    private String keysFile() throws IOException {
        return Files.writeString(dir.resolve("keys.jsonl"), "").toString();
    }

    @Test
    void shouldBeOffAndNotExplicitWhenNothingIsSet() {
        AuthSettings auth = auth(Map.of());

        assertThat(auth.enabled()).isFalse();
        assertThat(auth.explicit()).isFalse();
        assertThat(auth.limits()).isEqualTo(new AuthSettings.CallerLimits(50, 100, 8));
    }

    @Test
    void shouldTurnApiKeysOnWhenTheirFileIsSet() throws IOException {
        AuthSettings auth = auth(Map.of(FaroConfig.API_KEYS_FILE, keysFile()));

        assertThat(auth.methods()).containsExactly(Method.API_KEYS);
        assertThat(auth.apiKeysFile()).isPresent();
        assertThat(auth.explicit()).isFalse();
    }

    @Test
    void shouldBeOffExplicitlyEvenWithAKeysFileWhenToldOff() throws IOException {
        AuthSettings auth = auth(Map.of(FaroConfig.AUTH, "off", FaroConfig.API_KEYS_FILE, keysFile()));

        assertThat(auth.enabled()).isFalse();
        assertThat(auth.explicit()).isTrue();
    }

    @Test
    void shouldReadBothMethodsWithOidcSettingsAndDefaults() throws IOException {
        AuthSettings auth = auth(Map.of(FaroConfig.AUTH, "api-keys, oidc", FaroConfig.API_KEYS_FILE, keysFile(),
                FaroConfig.OIDC_ISSUER, "https://idp.example.com/realms/faro", FaroConfig.OIDC_AUDIENCE, "faro",
                FaroConfig.OIDC_JWKS_URL, "https://idp.example.com/realms/faro/certs",
                FaroConfig.OIDC_ROLES_CLAIM, "realm_access.roles"));

        assertThat(auth.methods()).containsExactlyInAnyOrder(Method.API_KEYS, Method.OIDC);
        AuthSettings.Oidc oidc = auth.oidc().orElseThrow();
        assertThat(oidc.issuer()).isEqualTo(URI.create("https://idp.example.com/realms/faro"));
        assertThat(oidc.leeway()).isEqualTo(Duration.ofSeconds(60));
        assertThat(oidc.tenantClaim()).isEqualTo("tenant");
        assertThat(oidc.groupsClaim()).isEqualTo("groups");
        assertThat(oidc.rolesClaim()).isEqualTo("realm_access.roles");
    }

    @Test
    void shouldRefuseApiKeysWithoutTheirFile() {
        assertThatThrownBy(() -> auth(Map.of(FaroConfig.AUTH, "api-keys")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(FaroConfig.API_KEYS_FILE);
    }

    @Test
    void shouldRefuseOidcWithoutAudienceOrJwksNamingTheVariable() {
        assertThatThrownBy(() -> auth(Map.of(FaroConfig.OIDC_ISSUER, "https://idp.example.com")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(FaroConfig.OIDC_AUDIENCE);
        assertThatThrownBy(() -> auth(Map.of(FaroConfig.OIDC_ISSUER, "https://idp.example.com",
                FaroConfig.OIDC_AUDIENCE, "faro")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(FaroConfig.OIDC_JWKS_URL);
    }

    @Test
    void shouldRefuseAnUnknownMethod() {
        assertThatThrownBy(() -> auth(Map.of(FaroConfig.AUTH, "basic")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FARO_AUTH=basic");
    }

    @Test
    void shouldReadTheCallerLimitsWithTheBurstTwiceTheRateByDefault() {
        AuthSettings auth = auth(Map.of(FaroConfig.CALLER_RATE_PER_S, "10", FaroConfig.CALLER_CONCURRENCY, "0"));

        assertThat(auth.limits()).isEqualTo(new AuthSettings.CallerLimits(10, 20, 0));
        assertThatThrownBy(() -> auth(Map.of(FaroConfig.CALLER_BURST, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(FaroConfig.CALLER_BURST);
    }
}
