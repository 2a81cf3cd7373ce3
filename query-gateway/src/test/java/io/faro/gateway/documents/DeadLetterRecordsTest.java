package io.faro.gateway.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.json.Json;
import io.faro.core.model.Chunk;
import io.faro.core.dlq.DeadLetterHeaders;
import io.faro.core.topic.Topics;
import io.faro.gateway.documents.Rejections.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterRecordsTest {

    private static ConsumerRecord<byte[], byte[]> deadLetter(String key, byte[] value, Map<String, String> headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, text) -> recordHeaders.add(name, text.getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(Topics.DLQ.name(), 0, 12, 1_700_000_000_000L, TimestampType.CREATE_TIME, -1, -1,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, recordHeaders, Optional.empty());
    }

    @Test
    void shouldNameTheDocumentAndVersionOfARefusedDocumentRecord() {
        ConsumerRecord<byte[], byte[]> record = deadLetter("handbook/on-call.md", "{\"id\": ".getBytes(StandardCharsets.UTF_8),
                Map.of(DeadLetterHeaders.STAGE, "parse", DeadLetterHeaders.REASON, "document is not valid JSON",
                        DeadLetterHeaders.FAILED_AT, "2026-12-02T10:15:30Z",
                        DeadLetterHeaders.SOURCE_TOPIC, Topics.DOCUMENTS.name(),
                        DeadLetterHeaders.SOURCE_PARTITION, "1", DeadLetterHeaders.SOURCE_OFFSET, "41"));

        Optional<Rejection> rejection = DeadLetterRecords.rejection(record);

        assertThat(rejection).contains(new Rejection("handbook/on-call.md", 41, "parse", "document is not valid JSON",
                Instant.parse("2026-12-02T10:15:30Z")));
    }

    @Test
    void shouldNameTheDocumentOfARefusedChunkFromItsValue() throws Exception {
        Chunk chunk = new Chunk("guide#3", "guide", 17, 3, "Guide", "text", Map.of());
        ConsumerRecord<byte[], byte[]> record = deadLetter("guide#3", Json.mapper().writeValueAsBytes(chunk),
                Map.of(DeadLetterHeaders.STAGE, "embed", DeadLetterHeaders.REASON, "the model refused the text"));

        Optional<Rejection> rejection = DeadLetterRecords.rejection(record);

        assertThat(rejection).map(Rejection::docId).contains("guide");
        assertThat(rejection).map(Rejection::version).contains(17L);
        assertThat(rejection).map(Rejection::stage).contains("embed");
        assertThat(rejection).map(Rejection::rejectedAt).contains(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void shouldNameTheDocumentOfARefusedEmbeddingFromItsChunk() {
        byte[] value = "{\"chunk\": {\"doc_id\": \"guide\", \"doc_version\": 5}, \"model\": \"m\"}"
                .getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> record = deadLetter("guide#0", value, Map.of(DeadLetterHeaders.STAGE,
                "sink-pgvector", DeadLetterHeaders.REASON, "bad", DeadLetterHeaders.SOURCE_TOPIC,
                Topics.EMBEDDINGS.name(), DeadLetterHeaders.SOURCE_OFFSET, "900"));

        assertThat(DeadLetterRecords.rejection(record)).map(Rejection::version).as("the document's version, not the"
                + " embedding's offset").contains(5L);
    }

    @Test
    void shouldPassOverDeadLettersThatNameNoDocument() {
        Map<String, String> fromDocuments = Map.of(DeadLetterHeaders.STAGE, "parse", DeadLetterHeaders.REASON,
                "a tombstone needs the document id as key", DeadLetterHeaders.SOURCE_TOPIC, Topics.DOCUMENTS.name(),
                DeadLetterHeaders.SOURCE_OFFSET, "3");

        assertThat(DeadLetterRecords.rejection(deadLetter(null, null, fromDocuments))).isEmpty();
        assertThat(DeadLetterRecords.rejection(deadLetter("x#0", "not json".getBytes(StandardCharsets.UTF_8),
                Map.of(DeadLetterHeaders.STAGE, "sink-qdrant")))).isEmpty();
    }
}
