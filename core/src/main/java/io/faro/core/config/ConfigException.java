package io.faro.core.config;

import io.faro.core.FaroException;

/** A configuration value is missing or invalid; the message names the variable. */
public final class ConfigException extends FaroException {

    public ConfigException(String message) {
        super(message);
    }
}
