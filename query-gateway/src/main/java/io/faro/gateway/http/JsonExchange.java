package io.faro.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Reads JSON request bodies within a size limit and writes JSON and problem-details responses. */
public final class JsonExchange {

    private final int maxRequestBytes;

    public JsonExchange(int maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * The request body as a JSON object with only the {@code fields} its route takes, or a 4xx problem saying
     * what is wrong with it: not JSON, a key named twice (core {@link Json}), or a field the route does not know.
     */
    public JsonNode readObject(ServerRequest request, RequestFields fields) {
        request.headers().contentType().ifPresent(type -> {
            String media = type.mediaType().text().toLowerCase(Locale.ROOT);
            if (!media.equals("application/json") && !media.endsWith("+json")) {
                throw ProblemException.unsupportedMediaType("send the body as application/json, not " + media);
            }
        });
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > maxRequestBytes) {
            throw tooLarge();
        }
        byte[] body = readLimited(request.content().inputStream());
        if (body.length == 0) {
            throw ProblemException.badRequest("the request has no body; send a JSON object");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("the body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object");
        }
        return fields.check(node);
    }

    private byte[] readLimited(InputStream in) {
        try (in) {
            byte[] body = in.readNBytes(maxRequestBytes + 1);
            if (body.length > maxRequestBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProblemException tooLarge() {
        return ProblemException.tooLarge("the body is over " + maxRequestBytes + " bytes (FARO_MAX_REQUEST_BYTES)");
    }

    public static void send(ServerResponse response, int status, Object body) {
        sendJson(response, status, "application/json", body);
    }

    public static void sendProblem(ServerResponse response, Problem problem) {
        sendJson(response, problem.status(), Problem.MEDIA_TYPE, problem);
    }

    private static void sendJson(ServerResponse response, int status, String mediaType, Object body) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, mediaType);
        response.send(bytes);
    }
}
