package io.faro.gateway.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.SearchMode;
import io.faro.gateway.http.ProblemException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Field checks for request bodies: each failure names the field and the rule. */
final class Requests {

    static final String QUERY = "query";
    static final String QUESTION = "question";
    static final String TOP_K = "top_k";
    static final String FILTER = "filter";
    static final String MODE = "mode";
    static final String EXPLAIN = "explain";
    static final int DEFAULT_TOP_K = 5;
    static final int MAX_TEXT_CHARS = 4_096;

    private Requests() {
    }

    static String requiredText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw ProblemException.badRequest("'" + field + "' is missing");
        }
        if (!node.isTextual()) {
            throw ProblemException.badRequest("'" + field + "' must be a string");
        }
        String text = node.textValue().strip();
        if (text.isEmpty()) {
            throw ProblemException.badRequest("'" + field + "' is empty");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw ProblemException.badRequest("'" + field + "' is over " + MAX_TEXT_CHARS + " characters");
        }
        return text;
    }

    /**
     * {@code "filter": {"key": value}}: metadata equality on strings, whole numbers and booleans. Its keys are
     * the documents' own metadata keys, so any key is taken (only the top-level fields are strict).
     */
    static MetadataFilter filter(JsonNode body) {
        JsonNode node = body.get(FILTER);
        if (node == null || node.isNull()) {
            return MetadataFilter.NONE;
        }
        if (!node.isObject()) {
            throw ProblemException.badRequest("'filter' must be a JSON object of metadata key to value");
        }
        Map<String, Object> equalTo = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (value.isTextual()) {
                equalTo.put(entry.getKey(), value.textValue());
            } else if (value.isBoolean()) {
                equalTo.put(entry.getKey(), value.booleanValue());
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                equalTo.put(entry.getKey(), value.longValue());
            } else {
                throw ProblemException.badRequest("'filter." + entry.getKey()
                        + "' must be a string, a whole number or a boolean");
            }
        }
        try {
            return new MetadataFilter(equalTo);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'filter' is invalid: " + e.getMessage());
        }
    }

    static int topK(JsonNode body, int max) {
        JsonNode node = body.get(TOP_K);
        if (node == null || node.isNull()) {
            return Math.min(DEFAULT_TOP_K, max);
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ProblemException.badRequest("'top_k' must be an integer from 1 to " + max);
        }
        int topK = node.intValue();
        if (topK < 1 || topK > max) {
            throw ProblemException.badRequest("'top_k' is " + topK + "; it must be from 1 to " + max
                    + " (FARO_MAX_TOP_K)");
        }
        return topK;
    }

    /** {@code "mode"}: {@code dense}, {@code keyword} or {@code hybrid}; absent or null, FARO_SEARCH_MODE's. */
    static SearchMode mode(JsonNode body, SearchMode byDefault) {
        JsonNode node = body.get(MODE);
        if (node == null || node.isNull()) {
            return byDefault;
        }
        if (!node.isTextual()) {
            throw ProblemException.badRequest("'mode' must be a string, one of " + SearchMode.names());
        }
        try {
            return SearchMode.parse(node.textValue());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'mode' is '" + node.textValue() + "'; it must be one of "
                    + SearchMode.names());
        }
    }

    /** {@code "explain"}: true or false; absent or null, false. */
    static boolean explain(JsonNode body) {
        JsonNode node = body.get(EXPLAIN);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ProblemException.badRequest("'explain' must be true or false");
        }
        return node.booleanValue();
    }
}
