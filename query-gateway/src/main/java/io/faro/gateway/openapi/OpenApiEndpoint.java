package io.faro.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.faro.core.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * {@code GET /openapi}: the OpenAPI 3.1 document of the gateway's routes, requests, responses and problems,
 * as YAML, or as JSON when the caller accepts {@code application/json} and not YAML (or asks
 * {@code ?format=json}). The document is written by hand, {@link #RESOURCE} on the class path; a test holds
 * it to the routes the server registers and to the request and response records. It is open to every caller,
 * like the health routes: a client is generated from it before it has a key.
 */
public final class OpenApiEndpoint {

    public static final String PATH = "/openapi";
    public static final String RESOURCE = "META-INF/openapi.yaml";
    static final String YAML = "application/yaml";
    static final String JSON = "application/json";

    private final byte[] yaml;
    private final byte[] json;

    private OpenApiEndpoint(byte[] yaml, byte[] json) {
        this.yaml = yaml;
        this.json = json;
    }

    /** Reads the document once, at start-up: a broken file stops the gateway rather than one client. */
    public static OpenApiEndpoint load() {
        try (InputStream in = OpenApiEndpoint.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            byte[] yaml = in.readAllBytes();
            JsonNode document = new YAMLMapper().readTree(yaml);
            return new OpenApiEndpoint(yaml, Json.mapper().writeValueAsBytes(document));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public Handler handler() {
        return (req, res) -> {
            boolean asJson = wantsJson(req);
            res.header(HeaderNames.CONTENT_TYPE, asJson ? JSON : YAML);
            res.send(asJson ? json : yaml);
        };
    }

    private static boolean wantsJson(ServerRequest request) {
        if (request.query().first("format").asOptional().map(f -> f.equalsIgnoreCase("json")).orElse(false)) {
            return true;
        }
        String accept = String.join(",", request.headers().values(HeaderNames.ACCEPT)).toLowerCase(Locale.ROOT);
        return accept.contains(JSON) && !accept.contains("yaml");
    }
}
