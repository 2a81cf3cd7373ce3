package io.faro.core.store;

import io.faro.core.access.AccessScope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Restricts a search to chunks whose document metadata has every given key equal to the given value
 * (a string, a whole number or a boolean), and that the {@code scope} may see: chunks of its tenant whose ACL
 * is empty or names one of its groups ({@link AccessScope#permits}). Each store turns the whole filter into
 * its own query condition, so the top-k is taken among permitted chunks only, never cut down afterwards.
 * The empty filter ({@link #NONE}) matches everything.
 */
public record MetadataFilter(Map<String, Object> equalTo, AccessScope scope) {

    public static final MetadataFilter NONE = new MetadataFilter(Map.of());

    public MetadataFilter {
        Objects.requireNonNull(scope, "scope");
        equalTo = Collections.unmodifiableMap(new LinkedHashMap<>(equalTo));
        equalTo.forEach((key, value) -> {
            if (key.isBlank()) {
                throw new IllegalArgumentException("a filter key is blank");
            }
            boolean supported = value instanceof String || value instanceof Boolean
                    || value instanceof Long || value instanceof Integer;
            if (!supported) {
                throw new IllegalArgumentException("filter value of '" + key + "' must be a string, whole number or"
                        + " boolean");
            }
        });
    }

    /** Metadata conditions for a caller who may see everything. */
    public MetadataFilter(Map<String, Object> equalTo) {
        this(equalTo, AccessScope.UNRESTRICTED);
    }

    /** This filter, limited to what {@code scope} may see. */
    public MetadataFilter within(AccessScope scope) {
        return new MetadataFilter(equalTo, scope);
    }

    /** Whether the scope limits anything (it is not {@link AccessScope#UNRESTRICTED}). */
    public boolean restricted() {
        return !scope.unrestricted();
    }

    public boolean isEmpty() {
        return equalTo.isEmpty() && !restricted();
    }
}
