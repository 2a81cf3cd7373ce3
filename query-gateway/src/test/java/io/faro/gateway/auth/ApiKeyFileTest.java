package io.faro.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.access.AccessScope;
import io.faro.core.config.AuthSettings.CallerLimits;
import io.faro.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiKeyFileTest {

    private static final CallerLimits DEFAULTS = new CallerLimits(50, 100, 8);

    @TempDir
    Path dir;

    private List<ApiKey> read(String... lines) throws IOException {
        return ApiKeyFile.read(Files.writeString(dir.resolve("keys.jsonl"), String.join("\n", lines)), DEFAULTS);
    }

    @Test
    void shouldMintDistinctPrefixedKeysAndFindTheCallerOfTheLineItPrints() throws IOException {
        String key = ApiKey.mint();
        assertThat(key).startsWith("faro_").hasSize(5 + 43).isNotEqualTo(ApiKey.mint());
        String line = ApiKeyFile.line("ui", key, "acme", Set.of(Role.QUERY, Role.PUBLISH), Set.of("eng"));
        assertThat(line).doesNotContain(key).contains(ApiKey.hashHex(key));

        ApiKeys keys = ApiKeys.load(Files.writeString(dir.resolve("keys.jsonl"), line + "\n"), DEFAULTS);

        Caller caller = keys.find(key).orElseThrow();
        assertThat(caller.id()).isEqualTo("ui");
        assertThat(caller.scope()).isEqualTo(AccessScope.of("acme", Set.of("eng")));
        assertThat(caller.roles()).containsExactlyInAnyOrder(Role.QUERY, Role.PUBLISH);
        assertThat(caller.limits()).isEqualTo(DEFAULTS);
        assertThat(keys.find(key + "x")).isEmpty();
    }

    @Test
    void shouldSkipCommentsAndBlankLinesAndTakeEachKeysOwnLimits() throws IOException {
        List<ApiKey> keys = read("# search front end", "",
                "{\"id\":\"ui\",\"sha256\":\"" + "A".repeat(64) + "\",\"tenant\":\"acme\",\"roles\":[\"query\"],"
                        + "\"rate_per_s\":5,\"concurrency\":0}");

        assertThat(keys).singleElement().satisfies(key ->
                assertThat(key.caller().limits()).isEqualTo(new CallerLimits(5, 10, 0)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"id\":\"ui\",\"sha256\":\"abc\",\"tenant\":\"t\",\"roles\":[\"query\"]}|never the key",
            "{\"id\":\"ui\",\"tenant\":\"t\",\"roles\":[\"query\"]}|'sha256'",
            "{\"id\":\"u i\",\"sha256\":\"HASH\",\"tenant\":\"t\",\"roles\":[\"query\"]}|the id 'u i'",
            "{\"id\":\"ui\",\"sha256\":\"HASH\",\"tenant\":\"t\",\"roles\":[\"admin\"]}|unknown role 'admin'",
            "{\"id\":\"ui\",\"sha256\":\"HASH\",\"tenant\":\"t\",\"roles\":[]}|at least one role",
            "{\"id\":\"ui\",\"sha256\":\"HASH\",\"roles\":[\"query\"]}|'tenant'",
            "{\"id\":\"ui\",\"sha256\":\"HASH\",\"tenant\":\"t\",\"roles\":[\"query\"],\"key\":\"x\"}|unknown field 'key'",
            "{\"id\":\"ui\",\"sha256\":\"HASH\",\"tenant\":\"t\",\"roles\":[\"query\"],\"burst\":-1}|'burst'",
            "not json|not one JSON object"})
    void shouldRefuseABadLineNamingItAndWhatIsWrong(String line, String message) {
        assertThatThrownBy(() -> read("# keys", line.replace("HASH", "0".repeat(64))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("line 2").hasMessageContaining(message);
    }

    @Test
    void shouldRefuseAnIdOrAHashNamedTwice() {
        String hash = "1".repeat(64);
        assertThatThrownBy(() -> read(
                "{\"id\":\"ui\",\"sha256\":\"" + hash + "\",\"tenant\":\"t\",\"roles\":[\"query\"]}",
                "{\"id\":\"ui\",\"sha256\":\"" + "2".repeat(64) + "\",\"tenant\":\"t\",\"roles\":[\"query\"]}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("line 2").hasMessageContaining("twice");
        assertThatThrownBy(() -> read(
                "{\"id\":\"a\",\"sha256\":\"" + hash + "\",\"tenant\":\"t\",\"roles\":[\"query\"]}",
                "{\"id\":\"b\",\"sha256\":\"" + hash + "\",\"tenant\":\"t\",\"roles\":[\"query\"]}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("twice");
    }
}
