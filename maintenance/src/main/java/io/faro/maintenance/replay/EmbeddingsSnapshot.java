package io.faro.maintenance.replay;

import io.faro.core.FaroException;
import io.faro.core.json.JsonSerde;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live chunks of the system of record: {@code faro.embeddings} read from its start to its current
 * end (committed records only), the latest record of each chunk id kept and tombstones honoured.
 */
public final class EmbeddingsSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingsSnapshot.class);

    private final KafkaSettings kafka;
    private final Duration timeout;

    public EmbeddingsSnapshot(KafkaSettings kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /** Chunk id to its latest embedding. */
    public Map<String, EmbeddedChunk> read() {
        Map<String, EmbeddedChunk> live = new HashMap<>();
        var deserializer = JsonSerde.of(EmbeddedChunk.class).deserializer();
        // Assigned partitions and no group: it commits nothing, and needs read access to the topic alone.
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EMBEDDINGS.name(), timeout).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new FaroException("could not read " + Topics.EMBEDDINGS.name() + " to its end within "
                            + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        live.remove(record.key());
                    } else {
                        try {
                            live.put(record.key(), deserializer.deserialize(record.topic(), record.value()));
                        } catch (SerializationException e) {
                            // the sinks sent it to the dead-letter topic and kept what they had: compare with that
                            LOG.warn("{} record of chunk {} at partition {} offset {} cannot be read and is skipped,"
                                    + " as the sinks skipped it: {}", record.topic(), record.key(), record.partition(),
                                    record.offset(), e.getMessage());
                        }
                    }
                }
            }
        }
        return live;
    }
}
