package io.faro.bench.data;

import io.faro.core.json.JsonSerde;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.topic.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Embedding records written straight to {@code faro.embeddings}, as the ingest topology writes them. */
public final class EmbeddingsTopic {

    private EmbeddingsTopic() {
    }

    /** Each record keyed by its chunk id, as JSON; returns once the broker has them all. */
    public static void publish(String bootstrap, List<EmbeddedChunk> embeddings)
            throws ExecutionException, InterruptedException {
        publishSerialized(bootstrap, serialize(embeddings));
    }

    /**
     * The records' keys and values (one per chunk id, the last), made before a timed {@link #publishSerialized} so
     * that it times the sending alone.
     */
    public static Map<String, byte[]> serialize(List<EmbeddedChunk> embeddings) {
        var serializer = JsonSerde.of(EmbeddedChunk.class).serializer();
        Map<String, byte[]> records = new LinkedHashMap<>();
        for (EmbeddedChunk embedded : embeddings) {
            records.put(embedded.chunkId(), serializer.serialize(Topics.EMBEDDINGS.name(), embedded));
        }
        return records;
    }

    public static void publishSerialized(String bootstrap, Map<String, byte[]> records)
            throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10), new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            records.forEach((key, value) -> sent.add(producer.send(new ProducerRecord<>(Topics.EMBEDDINGS.name(), key,
                    value))));
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        }
    }
}
