package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.faro.core.config.AuthSettings;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway's {@code auth} block: API keys from a Secret by default, OIDC or both when asked, off only when said;
 * no other component gets any of it.
 */
class GatewayAuthValuesTest {

    private static final Map<String, String> OIDC = Map.of(
            "gateway.auth.mode", "oidc",
            "gateway.auth.oidc.issuer", "https://idp.example.com/realms/faro",
            "gateway.auth.oidc.audience", "faro",
            "gateway.auth.oidc.jwksUrl", "https://idp.example.com/realms/faro/protocol/openid-connect/certs",
            "gateway.auth.oidc.rolesClaim", "realm_access.roles");

    @Test
    void shouldRequireApiKeysFromTheSecretByDefaultOnTheGatewayOnly() {
        Rendered rendered = Variant.named("default values").rendered();
        Deployment gateway = rendered.deployment("gateway");

        assertThat(Pods.env(gateway)).contains(
                entry(FaroConfig.AUTH, "api-keys"),
                entry(FaroConfig.API_KEYS_FILE, "/etc/faro/api-keys/keys.jsonl"),
                entry(FaroConfig.CALLER_RATE_PER_S, "50"),
                entry(FaroConfig.CALLER_BURST, "100"),
                entry(FaroConfig.CALLER_CONCURRENCY, "8"));
        assertThat(Pods.secretFiles(gateway, "api-keys"))
                .containsOnly(entry("/etc/faro/api-keys/keys.jsonl", "faro-api-keys/keys.jsonl"));
        for (Deployment other : rendered.deployments()) {
            if (!Pods.component(other).equals("gateway")) {
                assertThat(Pods.env(other)).as(Pods.component(other)).doesNotContainKeys(FaroConfig.AUTH,
                        FaroConfig.API_KEYS_FILE, FaroConfig.CALLER_RATE_PER_S);
            }
        }
    }

    @Test
    void shouldPassTheOidcSettingsThatFaroReadsWithoutAKeyFile() {
        Deployment gateway = FaroChart.render(OIDC).deployment("gateway");
        Map<String, String> env = Pods.env(gateway);

        assertThat(env).containsEntry(FaroConfig.AUTH, "oidc").doesNotContainKey(FaroConfig.API_KEYS_FILE);
        assertThat(Pods.secretFiles(gateway, "api-keys")).isEmpty();
        // FaroConfig reads the auth variables as rendered (the others name files that exist only in the pod)
        Map<String, String> authOnly = new java.util.HashMap<>(env);
        authOnly.keySet().removeIf(name -> !name.startsWith("FARO_OIDC_") && !name.startsWith("FARO_CALLER_")
                && !name.equals(FaroConfig.AUTH));
        AuthSettings auth = FaroConfig.from(Env.of(authOnly)).auth();
        assertThat(auth.methods()).containsExactly(AuthSettings.Method.OIDC);
        assertThat(auth.oidc().orElseThrow().rolesClaim()).isEqualTo("realm_access.roles");
        assertThat(auth.oidc().orElseThrow().leeway()).hasSeconds(60);
    }

    @Test
    void shouldTakeBothOrNoneWhenAsked() {
        Map<String, String> both = new java.util.HashMap<>(OIDC);
        both.put("gateway.auth.mode", "both");
        Deployment bothGateway = FaroChart.render(both).deployment("gateway");
        Deployment offGateway = FaroChart.render(Map.of("gateway.auth.mode", "off")).deployment("gateway");

        assertThat(Pods.env(bothGateway)).containsEntry(FaroConfig.AUTH, "api-keys,oidc")
                .containsKey(FaroConfig.API_KEYS_FILE).containsKey(FaroConfig.OIDC_ISSUER);
        assertThat(Pods.env(offGateway)).containsEntry(FaroConfig.AUTH, "off")
                .doesNotContainKeys(FaroConfig.API_KEYS_FILE, FaroConfig.OIDC_ISSUER, FaroConfig.CALLER_RATE_PER_S);
        assertThat(Pods.secretFiles(offGateway, "api-keys")).isEmpty();
    }

    @Test
    void shouldRefuseOidcWithoutItsIssuerAudienceAndJwks() {
        assertThat(FaroChart.renderError(Map.of("gateway.auth.mode", "oidc")))
                .contains("gateway.auth.oidc.issuer");
        assertThat(FaroChart.renderError(Map.of("gateway.auth.mode", "basic"))).contains("mode");
    }

    @Test
    void shouldSayAfterInstallingWhereTheKeysComeFromOrThatAuthenticationIsOff() {
        assertThat(FaroChart.notes(java.util.List.of(), Map.of()))
                .contains("Authorization: Bearer").contains("Secret faro-api-keys");
        assertThat(FaroChart.notes(java.util.List.of(), Map.of("gateway.auth.mode", "off")))
                .contains("Authentication is OFF");
    }
}
