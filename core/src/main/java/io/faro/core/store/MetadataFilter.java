package io.faro.core.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Restricts a search to chunks whose document metadata has every given key equal to the given value
 * (a string, a whole number or a boolean). The empty filter matches everything.
 */
public record MetadataFilter(Map<String, Object> equalTo) {

    public static final MetadataFilter NONE = new MetadataFilter(Map.of());

    public MetadataFilter {
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

    public boolean isEmpty() {
        return equalTo.isEmpty();
    }
}
