package io.faro.core.document;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.json.Json;
import io.faro.core.model.Document;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a record of {@code faro.documents} and checks it against the contract
 * ({@code docs/document.schema.json}). Every rejection says which rule the record broke.
 */
public final class DocumentParser {

    public static final int MAX_ID_LENGTH = 1_024;

    private static final List<String> CONTENT_FIELDS = List.of("text", "content_base64", "content_ref");
    /** {@code type/subtype}, optionally with parameters ({@code text/html; charset=utf-8}). */
    private static final Pattern MIME_TYPE = Pattern.compile("\\s*[\\w.+-]+/[\\w.+-]+\\s*(;.*)?", Pattern.DOTALL);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final int maxDocumentBytes;

    public DocumentParser(int maxDocumentBytes) {
        this.maxDocumentBytes = maxDocumentBytes;
    }

    /**
     * @param key   the record key (the document's {@link DocumentKey key}: its id, prefixed by its tenant outside the
     *              default tenant), or {@code null}
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
        int control = DocumentKey.firstControl(id);
        if (control >= 0) {
            throw new InvalidDocumentException("'id' must not hold control characters (U+"
                    + String.format("%04X", control) + " found)");
        }
        String tenant = Optional.ofNullable(optionalString(root, "tenant")).orElse(AccessScope.DEFAULT_TENANT);
        List<String> acl = acl(root);
        try {
            DocumentKey.checkTenant(tenant);
            acl = DocumentKey.checkAcl(acl);
        } catch (IllegalArgumentException e) {
            throw new InvalidDocumentException(e.getMessage());
        }
        if (key != null) {
            String keyText = new String(key, StandardCharsets.UTF_8);
            String expected = DocumentKey.of(tenant, id);
            if (!keyText.equals(expected)) {
                throw new InvalidDocumentException("record key '" + abbreviate(keyText)
                        + "' differs from the document id '" + abbreviate(id) + "'"
                        + (AccessScope.DEFAULT_TENANT.equals(tenant) ? ""
                                : " in tenant '" + tenant + "' (the key is the tenant, U+001F, then the id)"));
            }
        }
        Document.Content content = content(root);
        String title = optionalString(root, "title");
        Map<String, Object> metadata = metadata(root);
        // PostgreSQL text and jsonb cannot hold NUL, so such a document could never be stored.
        rejectNul("id", id);
        rejectNul("title", title);
        rejectNul("metadata", metadata.toString());
        return new Document(id, title == null || title.isBlank() ? id : title, content, metadata, tenant, acl);
    }

    /** {@code acl}: an array of group names, or absent (the whole tenant sees the document). */
    private static List<String> acl(JsonNode root) {
        JsonNode node = root.get("acl");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidDocumentException("'acl' must be an array of group names, got " + node.getNodeType());
        }
        List<String> groups = new ArrayList<>();
        for (JsonNode group : node) {
            if (!group.isTextual()) {
                throw new InvalidDocumentException("'acl' must hold group names (strings), got " + group.getNodeType());
            }
            groups.add(group.textValue());
        }
        return groups;
    }

    /** Exactly one of {@code text}, {@code content_base64} (with {@code content_type}) and {@code content_ref}. */
    private static Document.Content content(JsonNode root) {
        List<String> given = CONTENT_FIELDS.stream().filter(field -> present(root, field)).toList();
        if (given.size() > 1) {
            throw new InvalidDocumentException("give exactly one of 'text', 'content_base64' and 'content_ref', not "
                    + given.stream().map(f -> "'" + f + "'").collect(Collectors.joining(" and ")));
        }
        if (given.isEmpty()) {
            throw new InvalidDocumentException("'text' is missing: a document holds 'text', or 'content_base64' with "
                    + "'content_type', or 'content_ref'");
        }
        return switch (given.getFirst()) {
            case "content_base64" -> inline(root);
            case "content_ref" -> reference(root);
            default -> text(root);
        };
    }

    private static Document.Text text(JsonNode root) {
        String text = requiredString(root, "text");
        if (text.isBlank()) {
            throw new InvalidDocumentException("'text' is empty");
        }
        rejectNul("text", text);
        return new Document.Text(text);
    }

    private static Document.Inline inline(JsonNode root) {
        String base64 = requiredString(root, "content_base64");
        String contentType = optionalString(root, "content_type");
        if (contentType == null) {
            throw new InvalidDocumentException("'content_type' is missing: 'content_base64' needs the content's MIME "
                    + "type, e.g. application/pdf");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(WHITESPACE.matcher(base64).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw new InvalidDocumentException("'content_base64' is not base64: " + e.getMessage());
        }
        if (bytes.length == 0) {
            throw new InvalidDocumentException("'content_base64' is empty");
        }
        return new Document.Inline(bytes, mimeType(contentType));
    }

    private static Document.Reference reference(JsonNode root) {
        ContentRef ref = ContentRef.parse(requiredString(root, "content_ref"),
                Optional.ofNullable(optionalString(root, "content_version")).filter(v -> !v.isBlank()),
                Optional.ofNullable(optionalString(root, "content_sha256")).map(DocumentParser::sha256));
        return new Document.Reference(ref, Optional.ofNullable(optionalString(root, "content_type"))
                .map(DocumentParser::mimeType));
    }

    private static String mimeType(String value) {
        if (!MIME_TYPE.matcher(value).matches()) {
            throw new InvalidDocumentException("'content_type' must be a MIME type such as application/pdf, got '"
                    + abbreviate(value) + "'");
        }
        return value.strip();
    }

    private static String sha256(String value) {
        String hex = value.strip().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(hex).matches()) {
            throw new InvalidDocumentException("'content_sha256' must be 64 hexadecimal digits, got '"
                    + abbreviate(value) + "'");
        }
        return hex;
    }

    private static boolean present(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && !node.isNull();
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
