package io.faro.core.config;

import static io.faro.core.config.FaroConfig.DEFAULT_LLM_MAX_ANSWER_TOKENS;
import static io.faro.core.config.FaroConfig.DEFAULT_LLM_MAX_CONTEXT_TOKENS;
import static io.faro.core.config.FaroConfig.DEFAULT_LLM_MAX_RETRIES;
import static io.faro.core.config.FaroConfig.DEFAULT_LLM_TIMEOUT_MS;
import static io.faro.core.config.FaroConfig.LLM_API_KEY;
import static io.faro.core.config.FaroConfig.LLM_API_KEY_FILE;
import static io.faro.core.config.FaroConfig.LLM_BASE_URL;
import static io.faro.core.config.FaroConfig.LLM_FALLBACKS;
import static io.faro.core.config.FaroConfig.LLM_HEADERS;
import static io.faro.core.config.FaroConfig.LLM_HEADERS_FILE;
import static io.faro.core.config.FaroConfig.LLM_MAX_ANSWER_TOKENS;
import static io.faro.core.config.FaroConfig.LLM_MAX_CONTEXT_TOKENS;
import static io.faro.core.config.FaroConfig.LLM_MAX_RETRIES;
import static io.faro.core.config.FaroConfig.LLM_MODEL;
import static io.faro.core.config.FaroConfig.LLM_TIMEOUT_MS;

import io.faro.core.config.FaroConfig.LlmEndpoint;
import io.faro.core.config.FaroConfig.LlmSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the {@code FARO_LLM_*} variables. Syntax:
 * <ul>
 *   <li>{@code FARO_LLM_HEADERS}: {@code name=value} pairs separated by commas ({@code \,} is a comma inside a
 *       value). The values may be secrets and are never printed. They go to the primary endpoint and to the
 *       fallbacks on the same host, never to another host (a Portkey key must not reach OpenAI itself).</li>
 *   <li>{@code FARO_LLM_HEADERS_FILE}: a file (a mounted Secret) of more headers, the same syntax, a line break also
 *       ending an entry; added to {@code FARO_LLM_HEADERS}, a header named in both is refused.</li>
 *   <li>{@code FARO_LLM_FALLBACKS}: endpoints tried in order after the primary, separated by commas; each is
 *       {@code base-url|model} or {@code base-url|model|api-key-file}. A fallback without a key file sends no
 *       key.</li>
 * </ul>
 */
final class LlmVariables {

    private LlmVariables() {
    }

    static Optional<LlmSettings> read(Env env) {
        Optional<String> baseUrl = env.optional(LLM_BASE_URL);
        if (baseUrl.isEmpty()) {
            return Optional.empty();
        }
        String primaryUrl = url(baseUrl.get(), LLM_BASE_URL);
        String model = env.optional(LLM_MODEL).orElseThrow(() -> new ConfigException(LLM_BASE_URL + " is set but "
                + LLM_MODEL + " is not; name the model to ask (e.g. gpt-4o-mini)"));
        Map<String, Secret> headers = headers(env, LLM_HEADERS, LLM_HEADERS_FILE);
        List<LlmEndpoint> endpoints = new ArrayList<>();
        endpoints.add(new LlmEndpoint(primaryUrl, model, env.secret(LLM_API_KEY, LLM_API_KEY_FILE), headers));
        for (String entry : split(env.optional(LLM_FALLBACKS).orElse(""))) {
            endpoints.add(fallback(entry, primaryUrl, headers));
        }
        return Optional.of(new LlmSettings(List.copyOf(endpoints),
                env.integer(LLM_TIMEOUT_MS, DEFAULT_LLM_TIMEOUT_MS, 100, 600_000),
                env.integer(LLM_MAX_RETRIES, DEFAULT_LLM_MAX_RETRIES, 0, 10),
                env.integer(LLM_MAX_CONTEXT_TOKENS, DEFAULT_LLM_MAX_CONTEXT_TOKENS, 100, 1_000_000),
                env.integer(LLM_MAX_ANSWER_TOKENS, DEFAULT_LLM_MAX_ANSWER_TOKENS, 1, 100_000)));
    }

    private static LlmEndpoint fallback(String entry, String primaryUrl, Map<String, Secret> headers) {
        String[] parts = entry.split("\\|", -1);
        if (parts.length < 2 || parts.length > 3 || parts[1].isBlank()) {
            throw new ConfigException(LLM_FALLBACKS + " entry '" + entry + "' must be base-url|model or"
                    + " base-url|model|api-key-file");
        }
        String url = url(parts[0].strip(), LLM_FALLBACKS);
        Optional<Secret> key = parts.length == 3 ? Optional.of(keyFile(parts[2].strip())) : Optional.empty();
        boolean sameHost = Objects.equals(URI.create(url).getHost(), URI.create(primaryUrl).getHost());
        return new LlmEndpoint(url, parts[1].strip(), key, sameHost ? headers : Map.of());
    }

    static String url(String value, String variable) {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(variable + ": '" + value + "' is not an http(s) URL such as"
                        + " https://api.openai.com/v1");
            }
            return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        } catch (URISyntaxException e) {
            throw new ConfigException(variable + ": '" + value + "' is not a URL: " + e.getReason());
        }
    }

    private static Secret keyFile(String file) {
        Path path = Path.of(file);
        try {
            String key = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                throw new ConfigException(LLM_FALLBACKS + ": the key file " + path + " is empty");
            }
            return Secret.of(key);
        } catch (IOException e) {
            throw new ConfigException(LLM_FALLBACKS + ": the key file " + path + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * The headers of {@code variable} and of the file {@code fileVariable} names. Names are checked; values are not
     * echoed in errors, as they may be secrets.
     */
    static Map<String, Secret> headers(Env env, String variable, String fileVariable) {
        Map<String, Secret> headers = new LinkedHashMap<>();
        readHeaders(split(env.optional(variable).orElse("")), variable, fileVariable, headers);
        String fromFile = env.file(fileVariable).map(file -> headersFile(file, fileVariable)).orElse("");
        readHeaders(fromFile.lines().flatMap(line -> split(line).stream()).toList(), fileVariable, variable, headers);
        return Map.copyOf(headers);
    }

    private static String headersFile(Path file, String variable) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(variable + "=" + file + " cannot be read: " + e.getMessage());
        }
    }

    private static void readHeaders(List<String> pairs, String variable, String other, Map<String, Secret> into) {
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair.strip() : pair.substring(0, eq).strip();
            if (eq < 0 || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new ConfigException(variable + ": the entry for '" + name + "' must be name=value, with a"
                        + " header name of letters, digits and dashes");
            }
            // header names are case-insensitive: x-portkey-api-key in both would send one of them at random
            if (into.keySet().stream().anyMatch(known -> known.equalsIgnoreCase(name))) {
                throw new ConfigException(variable + ": the header '" + name.toLowerCase(Locale.ROOT) + "' is set"
                        + " twice (in " + variable + " and " + other + " together); keep one");
            }
            into.put(name, Secret.of(pair.substring(eq + 1).strip()));
        }
    }

    /** Splits on commas not preceded by a backslash; {@code \,} becomes a comma. */
    private static List<String> split(String raw) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() && raw.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts.stream().filter(part -> !part.isBlank()).toList();
    }
}
