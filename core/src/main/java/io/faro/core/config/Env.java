package io.faro.core.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

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
}
