package io.faro.cli.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faro.core.FaroException;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.S3Settings;
import io.faro.core.document.ContentRef;
import io.faro.core.document.ContentUnavailableException;
import io.faro.core.json.Json;
import io.faro.s3.ClaimCheckUploader;
import io.faro.s3.S3Clients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What {@code faro publish} does with a document too large for a record: with {@code FARO_S3_BUCKET} set, it puts
 * the document's bytes into that bucket ({@code documents/<id>}) and publishes a claim check in its place, which the
 * ingest fetches; without it, it stops with a message that says so.
 */
final class ClaimCheckPublishing implements AutoCloseable {

    private static final String TEXT = "text";
    private static final String CONTENT_BASE64 = "content_base64";
    private static final String CONTENT_TYPE = "content_type";

    private final int maxDocumentBytes;
    private final Optional<S3Settings> settings;
    private final Function<S3Settings, S3Client> clients;
    /** Made on the first document that needs it: most publications never touch S3. */
    private S3Client client;

    ClaimCheckPublishing(int maxDocumentBytes, Optional<S3Settings> settings, Function<S3Settings, S3Client> clients) {
        this.maxDocumentBytes = maxDocumentBytes;
        this.settings = settings;
        this.clients = clients;
    }

    static ClaimCheckPublishing of(FaroConfig config) {
        return new ClaimCheckPublishing(config.maxDocumentBytes(), config.s3(), S3Clients::create);
    }

    /** The value to publish for a document: itself when it fits a record, else its claim check. */
    byte[] fit(String id, byte[] value) {
        if (value.length <= maxDocumentBytes) {
            return value;
        }
        S3Settings s3 = settings.orElseThrow(() -> new FaroException(id + " is " + value.length
                + " bytes as JSON, over " + FaroConfig.MAX_DOCUMENT_BYTES + "=" + maxDocumentBytes + ". Set "
                + FaroConfig.S3_BUCKET + " (with AWS credentials, and " + FaroConfig.S3_REGION + " or "
                + FaroConfig.S3_ENDPOINT + ") and faro publish uploads it to S3 and publishes a claim check;"
                + " or split the file, or raise the limit"));
        if (client == null) {
            client = clients.apply(s3);
        }
        return claimCheck(id, value, new ClaimCheckUploader(client, s3.bucket()));
    }

    private static byte[] claimCheck(String id, byte[] value, ClaimCheckUploader upload) {
        ObjectNode document = read(value);
        byte[] content;
        String type;
        try {
            if (document.hasNonNull(CONTENT_BASE64)) {
                content = document.get(CONTENT_BASE64).binaryValue();
                type = textOr(document.get(CONTENT_TYPE), "application/octet-stream");
            } else {
                content = document.path(TEXT).asText().getBytes(StandardCharsets.UTF_8);
                type = textOr(document.get(CONTENT_TYPE), textOr(document.path("metadata").get(CONTENT_TYPE),
                        "text/plain"));
            }
        } catch (IOException e) {
            throw new FaroException(id + ": its content_base64 is not base64: " + e.getMessage(), e);
        }
        ContentRef ref;
        try {
            ref = upload.upload(id, content, type);
        } catch (ContentUnavailableException e) {
            throw new FaroException("cannot upload " + id + " to S3 (" + e.getMessage() + ")"
                    + (e.isTransient() ? "; try again" : ""), e);
        }
        document.remove(TEXT);
        document.remove(CONTENT_BASE64);
        document.put(CONTENT_TYPE, type);
        document.put("content_ref", ref.uri());
        ref.version().ifPresent(version -> document.put("content_version", version));
        document.put("content_sha256", ref.sha256().orElseThrow());
        try {
            return Json.mapper().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode read(byte[] value) {
        try {
            return (ObjectNode) Json.mapper().readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("a document faro publish wrote cannot be read back", e);
        }
    }

    private static String textOr(JsonNode node, String fallback) {
        return node != null && node.isTextual() && !node.textValue().isBlank() ? node.textValue() : fallback;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
