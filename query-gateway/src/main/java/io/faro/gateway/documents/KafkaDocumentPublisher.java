package io.faro.gateway.documents;

import io.faro.core.kafka.DocumentProducers;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.topic.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes with one idempotent producer ({@code acks=all}) shared by every request, with the settings of
 * every document producer ({@link DocumentProducers}). A send that Kafka has not acknowledged within
 * {@code timeout} fails as {@link PublishException.Kind#UNAVAILABLE}; the producer does not block the
 * gateway's start when Kafka is away, it only connects on the first send.
 */
public final class KafkaDocumentPublisher implements DocumentPublisher {

    /** How long an upload waits for Kafka before it answers 503. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;
    private final String where;

    private KafkaDocumentPublisher(KafkaProducer<String, byte[]> producer, Duration timeout, String where) {
        this.producer = producer;
        this.timeout = timeout;
        this.where = where;
    }

    public static KafkaDocumentPublisher create(KafkaSettings kafka, int maxDocumentBytes, Duration timeout,
                                                String clientId) {
        Map<String, Object> props = DocumentProducers.properties(kafka, maxDocumentBytes, timeout);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaDocumentPublisher(new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()),
                timeout, "Kafka at " + kafka.bootstrapServers());
    }

    @Override
    public Published publish(String id, byte[] value) {
        return send(new ProducerRecord<>(Topics.DOCUMENTS.name(), id, value));
    }

    @Override
    public Published delete(String id) {
        return send(new ProducerRecord<>(Topics.DOCUMENTS.name(), id, null));
    }

    private Published send(ProducerRecord<String, byte[]> record) {
        try {
            // the producer ends the send within its delivery timeout; the margin only guards against a hang
            RecordMetadata sent = producer.send(record).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            return new Published(sent.topic(), sent.partition(), sent.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException(PublishException.Kind.UNAVAILABLE, "interrupted while publishing", e);
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        } catch (TimeoutException e) {
            throw failed(e);
        } catch (KafkaException e) {
            throw failed(e);
        }
    }

    private PublishException failed(Throwable cause) {
        if (cause instanceof RecordTooLargeException) {
            return new PublishException(PublishException.Kind.TOO_LARGE, "Kafka refused the record as too large for "
                    + Topics.DOCUMENTS.name() + " (its max.message.bytes): " + cause.getMessage(), cause);
        }
        if (cause instanceof AuthorizationException) {
            return new PublishException(PublishException.Kind.NOT_AUTHORIZED, "the gateway may not write to "
                    + Topics.DOCUMENTS.name() + ": its Kafka user needs Write on it (faro kafka-ids)", cause);
        }
        return new PublishException(PublishException.Kind.UNAVAILABLE, where + " did not take the record within "
                + timeout.toSeconds() + " s: " + cause.getMessage(), cause);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
