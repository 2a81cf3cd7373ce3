package io.faro.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Typed, validated reads of {@code FARO_*} variables; a bad value fails naming the variable. */
public final class Env {

    private final Map<String, String> vars;

    private Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public static Env of(Map<String, String> vars) {
        return new Env(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> optional(String name) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public Path path(String name, String defaultValue) {
        return Path.of(string(name, defaultValue));
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "=" + raw.get() + " is not an integer");
        }
        if (value < min || value > max) {
            throw new ConfigException(name + "=" + value + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    public double decimal(String name, double defaultValue, double min, double max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        double value;
        try {
            value = Double.parseDouble(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "=" + raw.get() + " is not a number");
        }
        if (!(value >= min && value <= max)) {
            throw new ConfigException(name + "=" + value + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    public int port(String name, int defaultValue) {
        return integer(name, defaultValue, 0, 65_535);
    }

    /** A file that must exist and be readable, when the variable is set. */
    public Optional<Path> file(String name) {
        Optional<Path> file = optional(name).map(Path::of);
        file.ifPresent(path -> {
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new ConfigException(name + "=" + path + " is not a readable file");
            }
        });
        return file;
    }

    /**
     * A secret, from the variable {@code name} or from the file named by {@code fileName} (as a Kubernetes
     * secret is mounted); never both. A file's trailing line break is not part of the secret.
     */
    public Optional<Secret> secret(String name, String fileName) {
        Optional<String> inline = optional(name);
        Optional<Path> file = file(fileName);
        if (inline.isPresent() && file.isPresent()) {
            throw new ConfigException("set " + name + " or " + fileName + ", not both");
        }
        if (file.isPresent()) {
            try {
                String value = Files.readString(file.get(), StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
                if (value.isEmpty()) {
                    throw new ConfigException(fileName + "=" + file.get() + " is empty");
                }
                return Optional.of(Secret.of(value));
            } catch (IOException e) {
                throw new ConfigException(fileName + "=" + file.get() + " cannot be read: " + e.getMessage());
            }
        }
        // Read raw: a password may begin or end with spaces.
        return Optional.ofNullable(vars.get(name)).filter(value -> !value.isEmpty()).map(Secret::of);
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(name + "=" + raw.get() + " is not a boolean; use true or false");
        };
    }

    /** One of an enum's values, written in lower case with dashes ({@code VERIFY_FULL} as {@code verify-full}). */
    public <E extends Enum<E>> E choice(String name, Class<E> type, E defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String wanted = raw.get().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(type.getEnumConstants())
                .filter(value -> spelling(value).equals(wanted))
                .findFirst()
                .orElseThrow(() -> new ConfigException(name + "=" + raw.get() + " is not one of "
                        + Arrays.stream(type.getEnumConstants()).map(Env::spelling).collect(Collectors.joining(", "))));
    }

    /** How an enum value is written in a variable. */
    public static String spelling(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
