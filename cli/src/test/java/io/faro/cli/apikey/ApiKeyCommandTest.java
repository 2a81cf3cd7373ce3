package io.faro.cli.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.access.AccessScope;
import io.faro.core.config.AuthSettings.CallerLimits;
import io.faro.gateway.auth.ApiKeys;
import io.faro.gateway.auth.Caller;
import io.faro.gateway.auth.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ApiKeyCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldPrintAKeyOnceAndALineThatLetsTheGatewayTakeIt() throws Exception {
        // when
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new ApiKeyCommand());
        command.setOut(new PrintWriter(out));
        int exit = command.execute("create", "--id", "search-ui", "--tenant", "acme", "--role", "query,publish",
                "--group", "eng");

        // then the key is printed, and the line holds its hash only
        assertThat(exit).isZero();
        List<String> lines = out.toString().lines().toList();
        String key = lines.get(1);
        String line = lines.get(3);
        assertThat(key).startsWith("faro_");
        assertThat(line).startsWith("{\"id\":\"search-ui\"").doesNotContain(key);

        // and a gateway reading the line knows the key
        Path file = Files.writeString(dir.resolve("keys.jsonl"), line + "\n");
        Caller caller = ApiKeys.load(file, new CallerLimits(0, 0, 0)).find(key).orElseThrow();
        assertThat(caller.scope()).isEqualTo(AccessScope.of("acme", Set.of("eng")));
        assertThat(caller.roles()).containsExactlyInAnyOrder(Role.QUERY, Role.PUBLISH);
    }

    @Test
    void shouldRefuseAnUnknownRole() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new ApiKeyCommand());
        command.setErr(new PrintWriter(err));

        int exit = command.execute("create", "--id", "x", "--role", "admin");

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("unknown role 'admin'");
    }
}
