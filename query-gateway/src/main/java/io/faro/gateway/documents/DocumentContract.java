package io.faro.gateway.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.config.FaroConfig;
import io.faro.core.document.ContentRef;
import io.faro.core.document.DocumentFormat;
import io.faro.core.document.DocumentParser;
import io.faro.core.document.InvalidDocumentException;
import io.faro.core.json.Json;
import io.faro.gateway.http.ProblemException;
import io.faro.gateway.http.RequestFields;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Checks a document against the contract of {@code faro.documents} ({@code docs/document.schema.json})
 * before it is published, so that a caller hears at once, as a 4xx naming the field, what the pipeline would
 * otherwise dead-letter: an id, an optional title and metadata, and exactly one of {@code text},
 * {@code content_base64} with {@code content_type}, or {@code content_ref}. A field the contract does not
 * name is refused ({@link #FIELDS}): the topic itself takes such fields, for producers newer than its
 * readers, but a caller of the gateway hears at once that this gateway would not act on it. A document with
 * {@code text} is also read by core's {@link DocumentParser}, the rules the topology applies.
 */
final class DocumentContract {

    static final String ID = "id";
    static final String TITLE = "title";
    static final String METADATA = "metadata";
    static final String TEXT = "text";
    static final String CONTENT_BASE64 = "content_base64";
    static final String CONTENT_TYPE = "content_type";
    static final String CONTENT_REF = "content_ref";
    static final String CONTENT_VERSION = "content_version";
    static final String CONTENT_SHA256 = "content_sha256";
    /** Every field of the contract: what {@code POST /v1/documents} takes as JSON (schema {@code Document}). */
    static final RequestFields FIELDS = RequestFields.of("Document", ID, TITLE, TEXT, CONTENT_BASE64, CONTENT_TYPE,
            CONTENT_REF, CONTENT_VERSION, CONTENT_SHA256, METADATA, DocumentAccess.TENANT, DocumentAccess.ACL);
    private static final List<String> CONTENTS = List.of(TEXT, CONTENT_BASE64, CONTENT_REF);
    /** What an id made from the content starts with: the digest it is. */
    static final String DERIVED_ID_PREFIX = "sha256:";

    private final int maxDocumentBytes;
    private final DocumentParser parser;

    DocumentContract(int maxDocumentBytes) {
        this.maxDocumentBytes = maxDocumentBytes;
        this.parser = new DocumentParser(maxDocumentBytes);
    }

    /** The record for {@code document}; without an id, the id is the SHA-256 of its content. */
    DocumentRecord check(ObjectNode document) {
        FIELDS.check(document);
        String content = content(document);
        optionalString(document, TITLE).ifPresent(title -> rejectNul(TITLE, title));
        JsonNode metadata = document.get(METADATA);
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                throw field(METADATA, "must be a JSON object, got " + metadata.getNodeType());
            }
            rejectNul(METADATA, Json.mapper().convertValue(metadata, java.util.Map.class).toString());
        }
        String id = optionalString(document, ID).orElseGet(() -> {
            String derived = DERIVED_ID_PREFIX + sha256(contentBytes(document, content));
            document.put(ID, derived);
            return derived;
        });
        if (id.isBlank() || id.length() > DocumentParser.MAX_ID_LENGTH) {
            throw field(ID, "must be 1 to " + DocumentParser.MAX_ID_LENGTH + " characters, not blank");
        }
        int control = DocumentKey.firstControl(id);
        if (control >= 0) {
            throw field(ID, "must not hold control characters (U+" + String.format("%04X", control) + " found)");
        }
        String tenant = optionalString(document, DocumentAccess.TENANT).orElse(AccessScope.DEFAULT_TENANT);
        String key = DocumentKey.of(tenant, id);
        byte[] value = bytes(document);
        if (value.length > maxDocumentBytes) {
            throw ProblemException.tooLarge("the document is " + value.length + " bytes as a record"
                    + (content.equals(CONTENT_BASE64) ? " (its content in base64, a third larger than the file)" : "")
                    + ", over " + FaroConfig.MAX_DOCUMENT_BYTES + "=" + maxDocumentBytes
                    + "; a larger file goes through S3: publish its content_ref (s3://bucket/key)");
        }
        try {
            // every document's tenant and acl are checked here; a text document is read whole, as the ingest will
            parser.parse(key.getBytes(StandardCharsets.UTF_8), content.equals(TEXT) ? value
                    : bytes(withoutContent(document)));
        } catch (InvalidDocumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        return new DocumentRecord(id, tenant, key, value);
    }

    /** The document's other fields with a stand-in text, to check them without decoding its content again. */
    private static ObjectNode withoutContent(ObjectNode document) {
        ObjectNode fields = document.deepCopy();
        CONTENTS.forEach(fields::remove);
        fields.remove(CONTENT_TYPE);
        fields.put(TEXT, "-");
        return fields;
    }

    /** Which one of the content fields the document has, checked. */
    private static String content(ObjectNode document) {
        List<String> given = CONTENTS.stream().filter(name -> present(document, name)).toList();
        if (given.isEmpty()) {
            throw ProblemException.badRequest("the document has no content: give 'text', 'content_base64' (with"
                    + " 'content_type') or 'content_ref'");
        }
        if (given.size() > 1) {
            throw ProblemException.badRequest("'" + given.get(0) + "' and '" + given.get(1)
                    + "' exclude each other: give exactly one of 'text', 'content_base64' or 'content_ref'");
        }
        String content = given.getFirst();
        String value = optionalString(document, content).orElseThrow();
        switch (content) {
            case TEXT -> {
                if (value.isBlank()) {
                    throw field(TEXT, "is empty");
                }
            }
            case CONTENT_BASE64 -> {
                // base64 as tools write it, wrapped in lines, goes on the topic in one piece
                String compact = value.replaceAll("\\s+", "");
                document.put(CONTENT_BASE64, compact);
                if (decode(compact).length == 0) {
                    throw field(CONTENT_BASE64, "is empty");
                }
                String type = optionalString(document, CONTENT_TYPE)
                        .orElseThrow(() -> field(CONTENT_TYPE, "is missing: say what format 'content_base64' is in"));
                document.put(CONTENT_TYPE, format(type).mimeType());
            }
            default -> {
                try {
                    ContentRef.parse(value, Optional.empty(), Optional.empty());
                } catch (InvalidDocumentException e) {
                    throw ProblemException.badRequest(e.getMessage());
                }
                optionalString(document, CONTENT_TYPE)
                        .ifPresent(type -> document.put(CONTENT_TYPE, format(type).mimeType()));
            }
        }
        return content;
    }

    /** The format a content type names, or a 415 that lists those FARO takes. */
    static DocumentFormat format(String contentType) {
        return DocumentFormat.ofContentType(contentType).orElseThrow(() -> ProblemException.unsupportedMediaType(
                "FARO does not take '" + DocumentFormat.baseType(contentType) + "' documents; it takes "
                        + String.join(", ", DocumentFormat.mimeTypes())));
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw field(CONTENT_BASE64, "is not base64: " + e.getMessage());
        }
    }

    private static byte[] contentBytes(ObjectNode document, String content) {
        String value = document.get(content).textValue();
        return content.equals(CONTENT_BASE64) ? decode(value) : value.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean present(ObjectNode document, String name) {
        JsonNode node = document.get(name);
        return node != null && !node.isNull();
    }

    private static Optional<String> optionalString(ObjectNode document, String name) {
        JsonNode node = document.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw field(name, "must be a string, got " + node.getNodeType());
        }
        return Optional.of(node.textValue());
    }

    private static void rejectNul(String name, String value) {
        // PostgreSQL text and jsonb cannot hold NUL, so such a document could never be stored.
        if (value.indexOf('\0') >= 0) {
            throw field(name, "contains NUL characters");
        }
    }

    private static ProblemException field(String name, String problem) {
        return ProblemException.badRequest("'" + name + "' " + problem);
    }

    private static byte[] bytes(ObjectNode document) {
        try {
            return Json.mapper().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
