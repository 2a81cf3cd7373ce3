package io.faro.core.json;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration FARO uses on topics and over HTTP: snake_case fields, vectors in binary. A
 * field named twice in one object is refused: which of the two values a reader keeps differs between
 * parsers, so such a request or document has no one meaning.
 *
 * <p>A field this version does not know is ignored, on purpose: the mapper reads records of
 * {@code faro.documents}, {@code faro.chunks} and {@code faro.embeddings}, and a record written by a newer
 * producer (a field added in a later release, during a rolling upgrade or a replay) must still be read, not
 * sent to {@code faro.dlq}. Strictness belongs where a caller can be told and can fix the request: the
 * gateway refuses unknown fields in HTTP request bodies itself ({@code io.faro.gateway.http.RequestFields}).
 */
public final class Json {

    /**
     * The longest string FARO reads from JSON. It bounds a document's inline bytes too ({@code content_base64}), so
     * the largest object a claim check may fetch is three quarters of it.
     */
    public static final int MAX_STRING_CHARS = 64 * 1024 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(BinaryVectors.module())
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(MAX_STRING_CHARS)
                .build());
    }

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
