package io.faro.gateway.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do. Querying and publishing are kept apart so that a search front end's key cannot change
 * what is indexed, and an ingestion job's key cannot read it. Health and metrics need no role: probes and
 * Prometheus reach them without credentials.
 */
public enum Role {
    /** {@code POST /v1/search}, {@code POST /v1/query}, {@code GET /v1/documents/{id}}. */
    QUERY,
    /** {@code POST /v1/documents}, {@code PUT} and {@code DELETE /v1/documents/{id}}. */
    PUBLISH;

    /** How the role is written in a key file and in a token's roles claim. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> of(String spelling) {
        return Arrays.stream(values()).filter(role -> role.spelling().equals(spelling)).findFirst();
    }
}
