package io.faro.gateway.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.access.AccessScope;
import io.faro.core.config.AuthSettings.CallerLimits;
import io.faro.core.config.ConfigException;
import io.faro.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The file of API keys ({@code FARO_API_KEYS_FILE}): one JSON object a line, so that adding a key is appending the
 * line {@code faro api-key create} prints, and a Kubernetes Secret holds the file as one value. Blank lines and
 * lines starting with {@code #} are skipped. A line:
 *
 * <pre>{"id":"search-ui","sha256":"9f86d08...","tenant":"acme","roles":["query"],"groups":["eng"]}</pre>
 *
 * {@code id} names the key in logs and metrics; {@code sha256} is the key's hash (64 hex digits); {@code roles} are
 * {@code query} and/or {@code publish}; {@code groups} (optional) the ACL groups whose documents the caller sees;
 * {@code rate_per_s}, {@code burst} and {@code concurrency} (optional) replace the default limits for this key.
 * Anything else on a line, a key named twice, or a hash held by two keys is refused, naming the line.
 */
public final class ApiKeyFile {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Set<String> FIELDS = Set.of("id", "sha256", "tenant", "roles", "groups", "rate_per_s",
            "burst", "concurrency");

    private ApiKeyFile() {
    }

    public static List<ApiKey> read(Path file, CallerLimits defaults) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("the API key file " + file + " cannot be read: " + e.getMessage());
        }
        List<ApiKey> keys = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            ApiKey key = parse(line, defaults, where);
            if (!ids.add(key.caller().id())) {
                throw new ConfigException(where + ": the id '" + key.caller().id() + "' is there twice");
            }
            if (!hashes.add(HexFormat.of().formatHex(key.sha256()))) {
                throw new ConfigException(where + ": the same key hash is there twice");
            }
            keys.add(key);
        }
        return List.copyOf(keys);
    }

    /** The line to add to the file for a key: everything but the key itself. */
    public static String line(String id, String key, String tenant, Set<Role> roles, Set<String> groups) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("sha256", ApiKey.hashHex(key));
        fields.put("tenant", tenant);
        fields.put("roles", roles.stream().map(Role::spelling).sorted().toList());
        if (!groups.isEmpty()) {
            fields.put("groups", groups.stream().sorted().toList());
        }
        try {
            return Json.mapper().writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always writes", e);
        }
    }

    private static ApiKey parse(String line, CallerLimits defaults, String where) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            throw new ConfigException(where + " is not one JSON object: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ConfigException(where + " is not a JSON object");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new ConfigException(where + ": unknown field '" + name + "'; a key line has " + FIELDS);
            }
        });
        String id = text(node, "id", where);
        if (!ID.matcher(id).matches()) {
            throw new ConfigException(where + ": the id '" + id + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        String sha256 = text(node, "sha256", where);
        if (!SHA256.matcher(sha256).matches()) {
            throw new ConfigException(where + ": sha256 must be the key's SHA-256 in 64 hex digits, never the key");
        }
        String tenant = text(node, "tenant", where);
        Set<Role> roles = new LinkedHashSet<>();
        for (String name : strings(node, "roles", where)) {
            roles.add(Role.of(name).orElseThrow(() -> new ConfigException(where + ": unknown role '" + name
                    + "'; roles are query and publish")));
        }
        if (roles.isEmpty()) {
            throw new ConfigException(where + ": give the key at least one role (query, publish)");
        }
        Set<String> groups = node.has("groups") ? Set.copyOf(strings(node, "groups", where)) : Set.of();
        int rate = count(node, "rate_per_s", defaults.requestsPerSecond(), where);
        CallerLimits limits = new CallerLimits(rate,
                count(node, "burst", node.has("rate_per_s") ? 2 * rate : defaults.burst(), where),
                count(node, "concurrency", defaults.concurrency(), where));
        if (limits.requestsPerSecond() > 0 && limits.burst() < 1) {
            throw new ConfigException(where + ": a burst of 0 lets no request through");
        }
        return new ApiKey(HexFormat.of().parseHex(sha256.toLowerCase(java.util.Locale.ROOT)),
                new Caller(id, id, AccessScope.of(tenant, groups), roles, limits));
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ConfigException(where + ": '" + field + "' must be a non-empty string");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new ConfigException(where + ": '" + field + "' must be an array of strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new ConfigException(where + ": '" + field + "' must hold non-empty strings only");
            }
            items.add(item.asText());
        }
        return items;
    }

    private static int count(JsonNode node, String field, int fallback, String where) {
        JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
            throw new ConfigException(where + ": '" + field + "' must be a whole number, 0 or more (0: no limit)");
        }
        return value.asInt();
    }
}
