package io.faro.stores.pgvector;

import io.faro.core.json.Json;
import io.faro.core.store.StoreException;
import java.io.IOException;
import java.util.Map;

/** Metadata and ACLs to and from the JSON the pgvector table keeps them as. */
final class PgJson {

    private PgJson() {
    }

    static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new StoreException("metadata cannot be written as JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readMap(String json) {
        try {
            return Json.mapper().readValue(json, Map.class);
        } catch (IOException e) {
            throw new StoreException("metadata in pgvector is not JSON: " + json, e);
        }
    }
}
