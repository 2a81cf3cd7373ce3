package io.faro.core.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.json.Json;
import io.faro.core.model.Document;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a record of {@code faro.documents} and checks it against the contract
 * ({@code docs/document.schema.json}). Every rejection says which rule the record broke.
 */
public final class DocumentParser {

    public static final int MAX_ID_LENGTH = 1_024;

    private final int maxDocumentBytes;

    public DocumentParser(int maxDocumentBytes) {
        this.maxDocumentBytes = maxDocumentBytes;
    }

    /**
     * @param key   the record key (the document id), or {@code null}
     * @param value the record value, never {@code null} (tombstones are handled by the caller)
     */
    public Document parse(byte[] key, byte[] value) {
        if (value.length > maxDocumentBytes) {
            throw new InvalidDocumentException(InvalidDocumentException.Kind.TOO_LARGE,
                    "document is " + value.length + " bytes, over the limit of "
                    + maxDocumentBytes + " (FARO_MAX_DOCUMENT_BYTES)");
        }
        JsonNode root = readTree(value);
        if (!root.isObject()) {
            throw new InvalidDocumentException("document must be a JSON object, got " + root.getNodeType());
        }
        String id = requiredString(root, "id");
        if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
            throw new InvalidDocumentException("'id' must be 1 to " + MAX_ID_LENGTH + " characters, not blank");
        }
        if (key != null) {
            String keyText = new String(key, StandardCharsets.UTF_8);
            if (!keyText.equals(id)) {
                throw new InvalidDocumentException("record key '" + abbreviate(keyText)
                        + "' differs from the document id '" + abbreviate(id) + "'");
            }
        }
        String text = text(root);
        if (text.isBlank()) {
            throw new InvalidDocumentException("'text' is empty");
        }
        String title = optionalString(root, "title");
        Map<String, Object> metadata = metadata(root);
        // PostgreSQL text and jsonb cannot hold NUL, so such a document could never be stored.
        rejectNul("text", text);
        rejectNul("id", id);
        rejectNul("title", title);
        rejectNul("metadata", metadata.toString());
        return new Document(id, title == null || title.isBlank() ? id : title, text, metadata);
    }

    private static JsonNode readTree(byte[] value) {
        try {
            JsonNode root = Json.mapper().readTree(value);
            if (root == null || root.isMissingNode()) {
                throw new InvalidDocumentException(InvalidDocumentException.Kind.NOT_JSON, "document is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidDocumentException(InvalidDocumentException.Kind.NOT_JSON,
                    "document is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidDocumentException(InvalidDocumentException.Kind.NOT_JSON,
                    "document cannot be read: " + e.getMessage());
        }
    }

    /**
     * The text: {@code text}, or bytes inline ({@code content_base64}) in a text format, read as UTF-8. Binary
     * formats (PDF, Office) are extracted by the document-parsing stage, not here.
     */
    private static String text(JsonNode root) {
        JsonNode base64 = root.get("content_base64");
        if (root.hasNonNull("text") || base64 == null || base64.isNull()) {
            return requiredString(root, "text");
        }
        String type = optionalString(root, "content_type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.startsWith("text/") && !mediaType.equals("application/octet-stream")) {
            throw new InvalidDocumentException("'content_type' " + type + " cannot be read here; inline bytes"
                    + " must be text (text/plain, text/markdown)");
        }
        byte[] bytes;
        try {
            bytes = base64.binaryValue();
        } catch (IOException e) {
            throw new InvalidDocumentException("'content_base64' is not base64: " + e.getMessage());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidDocumentException("'content_base64' is not UTF-8 text");
        }
    }

    private static String requiredString(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidDocumentException("'" + field + "' is missing");
        }
        if (!node.isTextual()) {
            throw new InvalidDocumentException("'" + field + "' must be a string, got " + node.getNodeType());
        }
        return node.textValue();
    }

    private static String optionalString(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidDocumentException("'" + field + "' must be a string, got " + node.getNodeType());
        }
        return node.textValue();
    }

    private static Map<String, Object> metadata(JsonNode root) {
        JsonNode node = root.get("metadata");
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidDocumentException("'metadata' must be a JSON object, got " + node.getNodeType());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.mapper().convertValue(node, Map.class);
        return map;
    }

    private static void rejectNul(String field, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw new InvalidDocumentException("'" + field + "' contains NUL characters");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
