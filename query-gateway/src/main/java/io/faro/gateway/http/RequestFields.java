package io.faro.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The top-level fields a JSON request body may have, and nothing else: a field the route does not know is
 * refused with a 400 that names it. A client that misspells {@code top_k} as {@code topK}, or sends a field
 * this version of FARO does not have yet, hears so at once instead of getting an answer that silently ignored
 * it. Free-form members ({@code filter}, {@code metadata}) are values of a known field and are not checked
 * here: their keys are the caller's.
 *
 * <p>{@code schema} names the request body's schema in {@code META-INF/openapi.yaml}; a test holds the
 * document's properties and these names equal, so a field added here and not there fails the build.
 */
public record RequestFields(String schema, List<String> names) {

    public RequestFields {
        names = List.copyOf(names);
    }

    public static RequestFields of(String schema, String... names) {
        return new RequestFields(schema, List.of(names));
    }

    /** {@code body}, when each of its fields is one of {@link #names()}; else a 400 naming the first that is not. */
    public JsonNode check(JsonNode body) {
        for (String field : (Iterable<String>) body::fieldNames) {
            if (!names.contains(field)) {
                throw ProblemException.badRequest("unknown field '" + field + "'; this body takes only "
                        + names.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "))
                        + " (see GET /openapi)");
            }
        }
        return body;
    }
}
