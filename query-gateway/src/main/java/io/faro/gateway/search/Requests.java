package io.faro.gateway.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.gateway.http.ProblemException;

/** Field checks for request bodies: each failure names the field and the rule. */
final class Requests {

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

    static int topK(JsonNode body, int max) {
        JsonNode node = body.get("top_k");
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
}
