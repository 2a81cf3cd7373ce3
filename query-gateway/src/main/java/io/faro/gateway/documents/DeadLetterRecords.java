package io.faro.gateway.documents;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.json.Json;
import io.faro.core.dlq.DeadLetterHeaders;
import io.faro.core.topic.Topics;
import io.faro.gateway.documents.Rejections.Rejection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Which document, and which version of it, a dead letter stands for. A document refused at parse or split
 * is the record of {@code faro.documents} itself: its key is the id, its source offset the version. A
 * chunk refused at embed, or an embedding refused by a sink, carries its document's id and version in its
 * value ({@code doc_id}, {@code doc_version}, at the top or under {@code chunk}). Anything else (a
 * tombstone without a key, a value that is not JSON) names no document and is passed over.
 */
final class DeadLetterRecords {

    private DeadLetterRecords() {
    }

    static Optional<Rejection> rejection(ConsumerRecord<byte[], byte[]> record) {
        Headers headers = record.headers();
        String stage = header(headers, DeadLetterHeaders.STAGE).orElse("unknown");
        String reason = header(headers, DeadLetterHeaders.REASON).orElse("(no reason given)");
        Instant rejectedAt = header(headers, DeadLetterHeaders.FAILED_AT).flatMap(DeadLetterRecords::instant)
                .orElseGet(() -> Instant.ofEpochMilli(record.timestamp()));
        boolean fromDocuments = header(headers, DeadLetterHeaders.SOURCE_TOPIC)
                .filter(Topics.DOCUMENTS.name()::equals).isPresent();
        Optional<DocumentVersion> version = fromDocuments ? ofDocumentRecord(record) : ofChunk(record.value());
        return version.map(v -> new Rejection(v.docId(), v.version(), stage, reason, rejectedAt));
    }

    private record DocumentVersion(String docId, long version) {
    }

    private static Optional<DocumentVersion> ofDocumentRecord(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return Optional.empty();
        }
        return header(record.headers(), DeadLetterHeaders.SOURCE_OFFSET).flatMap(DeadLetterRecords::number)
                .map(offset -> new DocumentVersion(new String(record.key(), StandardCharsets.UTF_8), offset));
    }

    private static Optional<DocumentVersion> ofChunk(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(value);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null) {
            return Optional.empty();
        }
        JsonNode chunk = root.has("chunk") ? root.get("chunk") : root;
        JsonNode docId = chunk.get("doc_id");
        JsonNode version = chunk.get("doc_version");
        return docId != null && docId.isTextual() && version != null && version.isIntegralNumber()
                ? Optional.of(new DocumentVersion(docId.textValue(), version.longValue())) : Optional.empty();
    }

    private static Optional<String> header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static Optional<Long> number(String text) {
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text.strip()));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
