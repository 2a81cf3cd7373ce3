package io.faro.core.model;

import com.fasterxml.jackson.annotation.JsonValue;
import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.document.ContentRef;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A document as published to {@code faro.documents}, keyed by its id. The contract is published as
 * JSON Schema in {@code docs/document.schema.json}: the content is text, bytes inline with their
 * content type, or a claim check pointing at an S3 object. It belongs to a {@code tenant} and, when its
 * {@code acl} names groups, only callers of the tenant in one of them see it; an empty ACL means the whole
 * tenant. Its identity is {@link #key()}: the same id in two tenants is two documents.
 */
public record Document(String id, String title, Content content, Map<String, Object> metadata, String tenant,
                       List<String> acl) {

    /** What a document holds: exactly one of text, inline bytes, or a claim check. */
    public sealed interface Content permits Text, Inline, Reference {

        /** This content's fields as the document JSON spells them. */
        Map<String, Object> jsonFields();
    }

    /** {@code text}: plain text or Markdown. */
    public record Text(String text) implements Content {

        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public Map<String, Object> jsonFields() {
            return Map.of("text", text);
        }
    }

    /**
     * {@code content_base64} with {@code content_type}: a file's bytes (a PDF, a Word file, ...), from which
     * the ingest extracts the text.
     */
    public record Inline(byte[] bytes, String contentType) implements Content {

        public Inline {
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(contentType, "contentType");
        }

        @Override
        public Map<String, Object> jsonFields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("content_base64", Base64.getEncoder().encodeToString(bytes));
            fields.put("content_type", contentType);
            return fields;
        }

        // a record compares arrays by identity; two documents with the same bytes are the same document
        @Override
        public boolean equals(Object other) {
            return other instanceof Inline that && Arrays.equals(bytes, that.bytes) && contentType.equals(that.contentType);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(bytes) + contentType.hashCode();
        }

        @Override
        public String toString() {
            return "Inline[" + bytes.length + " bytes of " + contentType + "]";
        }
    }

    /**
     * {@code content_ref}: a claim check for bytes too large for a topic record; {@code contentType} is empty
     * when the publisher did not say (the type is then detected from the bytes).
     */
    public record Reference(ContentRef ref, Optional<String> contentType) implements Content {

        public Reference {
            Objects.requireNonNull(ref, "ref");
            contentType = contentType == null ? Optional.empty() : contentType;
        }

        @Override
        public Map<String, Object> jsonFields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("content_ref", ref.uri());
            ref.version().ifPresent(v -> fields.put("content_version", v));
            ref.sha256().ifPresent(s -> fields.put("content_sha256", s));
            contentType.ifPresent(t -> fields.put("content_type", t));
            return fields;
        }
    }

    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(content, "content");
        title = title == null ? id : title;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tenant = DocumentKey.checkTenant(tenant == null ? AccessScope.DEFAULT_TENANT : tenant);
        acl = DocumentKey.checkAcl(acl == null ? List.of() : acl);
    }

    /** A document of the default tenant, visible to all of it. */
    public Document(String id, String title, Content content, Map<String, Object> metadata) {
        this(id, title, content, metadata, AccessScope.DEFAULT_TENANT, List.of());
    }

    /** A text document, as most publishers and tests make them. */
    public Document(String id, String title, String text, Map<String, Object> metadata) {
        this(id, title, new Text(text), metadata);
    }

    /** This document in {@code tenant}, seen by the groups of {@code acl} (all of the tenant when empty). */
    public Document withAccess(String tenant, List<String> acl) {
        return new Document(id, title, content, metadata, tenant, acl);
    }

    /** Its identity: the record key, the stores' {@code doc_id}, the prefix of its chunk ids ({@link DocumentKey}). */
    public String key() {
        return DocumentKey.of(tenant, id);
    }

    /** A document whose bytes travel inline, base64-encoded in the record. */
    public static Document inline(String id, String title, byte[] bytes, String contentType, Map<String, Object> metadata) {
        return new Document(id, title, new Inline(bytes, contentType), metadata);
    }

    /**
     * The text of a text document.
     *
     * @throws IllegalStateException for a document of bytes or a claim check, whose text is extracted by the ingest
     */
    public String text() {
        if (content instanceof Text text) {
            return text.text();
        }
        throw new IllegalStateException("document '" + id + "' holds " + content + ", not text");
    }

    /** The record's JSON value, in the shape {@code docs/document.schema.json} describes. */
    @JsonValue
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("title", title);
        json.putAll(content.jsonFields());
        json.put("metadata", metadata);
        // left out when they say nothing, so a default-tenant document reads as it did before tenants
        if (!AccessScope.DEFAULT_TENANT.equals(tenant)) {
            json.put("tenant", tenant);
        }
        if (!acl.isEmpty()) {
            json.put("acl", acl);
        }
        return json;
    }
}
