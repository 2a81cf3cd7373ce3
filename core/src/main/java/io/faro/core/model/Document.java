package io.faro.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A document as published to {@code faro.documents}, keyed by its id. The contract is published as
 * JSON Schema in {@code docs/document.schema.json}.
 */
public record Document(String id, String title, String text, Map<String, Object> metadata) {

    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        title = title == null ? id : title;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
