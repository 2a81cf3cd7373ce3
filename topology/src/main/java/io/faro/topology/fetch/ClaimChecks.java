package io.faro.topology.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faro.core.document.ContentRef;
import io.faro.core.document.InvalidDocumentException;
import io.faro.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The claim-check fields of a document ({@code content_ref}, {@code content_version}, {@code content_sha256}),
 * and the document with its bytes inline once fetched ({@code content_base64} and {@code content_type}), as
 * {@code docs/document.schema.json} describes both.
 */
public final class ClaimChecks {

    public static final String CONTENT_REF = "content_ref";
    public static final String CONTENT_VERSION = "content_version";
    public static final String CONTENT_SHA256 = "content_sha256";
    public static final String CONTENT_BASE64 = "content_base64";
    public static final String CONTENT_TYPE = "content_type";
    /** What a fetched document without a declared type is: the parser tells the format from the bytes. */
    public static final String UNKNOWN_TYPE = "application/octet-stream";

    private static final String MARKER = "\"" + CONTENT_REF + "\"";

    private ClaimChecks() {
    }

    /**
     * The claim check a record value carries, if any. A value that is not a JSON object, or has no
     * {@code content_ref}, is none (the parser judges it); one whose claim-check fields are malformed is a
     * contract error.
     *
     * @throws InvalidDocumentException when {@code content_ref}, {@code content_version} or {@code content_sha256}
     *                                  is malformed
     */
    public static Optional<ContentRef> find(byte[] value) {
        // one byte per char, so the field name matches in any of JSON's encodings' ASCII range
        if (!new String(value, StandardCharsets.ISO_8859_1).contains(MARKER)) {
            return Optional.empty(); // most documents: no JSON to read twice
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(value);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject() || !root.has(CONTENT_REF) || root.get(CONTENT_REF).isNull()) {
            return Optional.empty();
        }
        String uri = text(root, CONTENT_REF).orElseThrow(() ->
                new InvalidDocumentException("'" + CONTENT_REF + "' must be a string, s3://bucket/key"));
        Optional<String> sha256 = text(root, CONTENT_SHA256);
        if (sha256.isPresent() && !sha256.get().matches("[0-9a-fA-F]{64}")) {
            throw new InvalidDocumentException("'" + CONTENT_SHA256 + "' must be 64 hex digits, got '"
                    + sha256.get() + "'");
        }
        return Optional.of(ContentRef.parse(uri, text(root, CONTENT_VERSION), sha256.map(s -> s.toLowerCase(Locale.ROOT))));
    }

    /**
     * The claim-check document with its bytes inline: the claim-check fields replaced by {@code content_base64},
     * and {@code content_type} kept, or {@value #UNKNOWN_TYPE} when the claim check declared none.
     */
    public static byte[] inline(byte[] claimCheck, byte[] content) {
        try {
            ObjectNode document = (ObjectNode) Json.mapper().readTree(claimCheck);
            document.remove(CONTENT_REF);
            document.remove(CONTENT_VERSION);
            document.remove(CONTENT_SHA256);
            document.put(CONTENT_BASE64, content); // written as base64 straight from the bytes
            if (!document.path(CONTENT_TYPE).isTextual() || document.get(CONTENT_TYPE).textValue().isBlank()) {
                document.put(CONTENT_TYPE, UNKNOWN_TYPE);
            }
            return Json.mapper().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException("a claim check that was read once cannot be read again", e);
        }
    }

    /** The largest inline document a fetch of at most {@code maxObjectBytes} can make: base64 plus the rest. */
    public static int inlineDocumentBytes(int maxObjectBytes, int maxDocumentBytes) {
        long base64 = ((long) maxObjectBytes + 2) / 3 * 4;
        return (int) Math.min(Integer.MAX_VALUE - 8, base64 + maxDocumentBytes);
    }

    private static Optional<String> text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new InvalidDocumentException("'" + field + "' must be a string, got " + node.getNodeType());
        }
        return Optional.of(node.textValue());
    }
}
