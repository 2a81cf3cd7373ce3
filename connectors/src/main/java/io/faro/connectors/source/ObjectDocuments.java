package io.faro.connectors.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faro.core.document.ContentRef;
import io.faro.core.document.DocumentParser;
import io.faro.core.json.Json;
import io.faro.s3.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The document that stands for an S3 object: a claim check on it, never its bytes (the ingest fetches them).
 * <ul>
 *   <li>{@code id}: {@code s3://bucket/key}, the object's own address, so that each object is one document and a
 *       new version of it replaces the old; an address longer than a document id may be (1024 characters) becomes
 *       {@code s3-sha256:<SHA-256 of bucket/key>};</li>
 *   <li>{@code title}: the last segment of the key (the file name);</li>
 *   <li>{@code content_ref}, and {@code content_version} when the bucket keeps versions: exactly the version
 *       listed;</li>
 *   <li>{@code content_type}: the object's, when it says one (S3's {@code binary/octet-stream} means it does not,
 *       and the ingest detects the format from the bytes);</li>
 *   <li>{@code metadata}: the object's user metadata ({@code x-amz-meta-*}, without the prefix), then its tags
 *       (a tag wins over metadata of the same name), then FARO's own, which win over both: {@code s3_bucket},
 *       {@code s3_key}, {@code s3_etag}, {@code s3_size}, {@code s3_last_modified} and {@code s3_version_id}.</li>
 * </ul>
 */
final class ObjectDocuments {

    /** The MIME types the document contract takes ({@code docs/document.schema.json}). */
    private static final Pattern CONTENT_TYPE = Pattern.compile("^\\s*[\\w.+-]+/[\\w.+-]+\\s*(;.*)?$");
    private static final String NO_CONTENT_TYPE = "binary/octet-stream";
    static final String HASHED_ID_PREFIX = "s3-sha256:";

    private ObjectDocuments() {
    }

    /** The id of the document of an object. */
    static String documentId(String bucket, String key) {
        String uri = ContentRef.SCHEME + bucket + "/" + key;
        if (uri.length() <= DocumentParser.MAX_ID_LENGTH) {
            return uri;
        }
        return HASHED_ID_PREFIX + Sha256.hex((bucket + "/" + key).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The document JSON of an object.
     *
     * @param state the object as listed, with the version id its HEAD answer gave
     * @param head  its HEAD answer: content type and user metadata
     */
    static byte[] document(String bucket, String key, ObjectState state, HeadObjectResponse head, List<Tag> tags) {
        ObjectNode document = Json.mapper().createObjectNode();
        document.put("id", documentId(bucket, key));
        document.put("title", title(key));
        document.put("content_ref", ContentRef.SCHEME + bucket + "/" + key);
        if (state.versionId() != null && !state.versionId().equals("null")) {
            document.put("content_version", state.versionId());
        }
        String contentType = head.contentType();
        if (contentType != null && !contentType.equalsIgnoreCase(NO_CONTENT_TYPE)
                && CONTENT_TYPE.matcher(contentType).matches()) {
            document.put("content_type", contentType.trim());
        }
        document.set("metadata", Json.mapper().valueToTree(metadata(bucket, key, head, tags, state)));
        try {
            return Json.mapper().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a document of strings and numbers is always JSON", e);
        }
    }

    private static Map<String, Object> metadata(String bucket, String key, HeadObjectResponse head, List<Tag> tags,
                                                ObjectState state) {
        // S3 keeps user metadata keys in lower case; tags as they were given
        Map<String, Object> metadata = new LinkedHashMap<>(head.metadata());
        tags.forEach(tag -> metadata.put(tag.key(), tag.value()));
        metadata.put("s3_bucket", bucket);
        metadata.put("s3_key", key);
        metadata.put("s3_etag", state.etag());
        metadata.put("s3_size", state.size());
        metadata.put("s3_last_modified", state.lastModified());
        if (state.versionId() != null && !state.versionId().equals("null")) {
            metadata.put("s3_version_id", state.versionId());
        }
        return metadata;
    }

    private static String title(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.isBlank() ? key : name;
    }
}
