package io.faro.core.kafka;

import io.faro.core.topic.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings of every producer that publishes to {@code faro.documents} ({@code faro publish}, the
 * gateway's uploads): a record counts as published once every in-sync replica has it ({@code acks=all}),
 * retries never duplicate or reorder it (idempotence), it may be as large as a document may be, and a
 * send ends, one way or the other, within {@code timeout}.
 */
public final class DocumentProducers {

    private DocumentProducers() {
    }

    public static Map<String, Object> properties(KafkaSettings kafka, int maxDocumentBytes, Duration timeout) {
        int millis = (int) timeout.toMillis();
        return kafka.clientProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(Topics.documentRecordBytes(maxDocumentBytes), 1_048_576),
                // waiting for the cluster's metadata (Kafka away) takes half, the request the other half
                ProducerConfig.MAX_BLOCK_MS_CONFIG, millis / 2,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis / 2,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis));
    }
}
