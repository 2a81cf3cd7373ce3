package io.faro.gateway;

import io.faro.gateway.auth.ApiKeyFile;
import io.faro.gateway.auth.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Callers for tests, through the gateway's real authentication: each caller, spelled {@code tenant} or
 * {@code tenant:group,group}, has an API key in a key file, and that spelling is the key itself, sent in
 * {@link #HEADER}. Every caller may query and publish. A gateway without the key file takes every request
 * unrestricted (authentication off).
 */
public final class TestCallers {

    public static final String HEADER = "X-API-Key";

    private TestCallers() {
    }

    /** Writes a key file in {@code dir} for these callers; its path is what {@code FARO_API_KEYS_FILE} takes. */
    public static Path keyFile(Path dir, String... callers) throws IOException {
        String lines = Arrays.stream(callers).map(TestCallers::line).collect(Collectors.joining("\n", "", "\n"));
        return Files.writeString(dir.resolve("api-keys.jsonl"), lines);
    }

    private static String line(String caller) {
        String[] parts = caller.split(":", 2);
        Set<String> groups = parts.length == 1 ? Set.of() : Set.of(parts[1].split(","));
        return ApiKeyFile.line(caller.replaceAll("[^a-z0-9-]", "-"), caller, parts[0], Set.of(Role.QUERY, Role.PUBLISH),
                groups);
    }
}
