package io.faro.cli.apikey;

import io.faro.core.access.AccessScope;
import io.faro.core.config.FaroConfig;
import io.faro.gateway.auth.ApiKey;
import io.faro.gateway.auth.ApiKeyFile;
import io.faro.gateway.auth.Role;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code faro api-key create}: mints a key for the gateway and prints it once, with the line that lets the gateway
 * take it. FARO never keeps the key: the line holds its SHA-256 only, so a lost key is replaced, not recovered.
 * Nothing is written anywhere: the line goes into the file {@code FARO_API_KEYS_FILE} names (the chart's Secret).
 */
@Command(name = "api-key", mixinStandardHelpOptions = true,
        description = "Make API keys for the gateway (README \"Authentication\").",
        subcommands = ApiKeyCommand.Create.class)
public final class ApiKeyCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Print a new API key once, and the line to add to the file " + FaroConfig.API_KEYS_FILE
                    + " names.")
    static final class Create implements Callable<Integer> {

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--id", required = true, description = "The key's name in logs and metrics, e.g. search-ui.")
        String id;

        @Option(names = "--tenant", defaultValue = AccessScope.DEFAULT_TENANT,
                description = "The tenant whose documents the key reaches (default: ${DEFAULT-VALUE}).")
        String tenant;

        @Option(names = "--role", split = ",", required = true,
                description = "What the key may do: query (search, answers, document state), publish (upload,"
                        + " delete); repeat or separate with commas.")
        List<String> roles;

        @Option(names = "--group", split = ",", description = "ACL groups whose documents the key also sees.")
        List<String> groups = List.of();

        @Override
        public Integer call() {
            Set<Role> parsed = EnumSet.noneOf(Role.class);
            for (String role : roles) {
                parsed.add(Role.of(role.strip()).orElseThrow(() -> new ParameterException(spec.commandLine(),
                        "unknown role '" + role + "': query or publish")));
            }
            print(ApiKey.mint(), id, tenant, parsed, new LinkedHashSet<>(groups), spec.commandLine().getOut());
            return 0;
        }
    }

    static void print(String key, String id, String tenant, Set<Role> roles, Set<String> groups, PrintWriter out) {
        String line = ApiKeyFile.line(id, key, tenant, roles, groups);
        out.println("API key (shown only now; give it to the caller, FARO keeps only its hash):");
        out.println(key);
        out.println("Add this line to the file " + FaroConfig.API_KEYS_FILE + " names:");
        out.println(line);
        out.flush();
    }
}
