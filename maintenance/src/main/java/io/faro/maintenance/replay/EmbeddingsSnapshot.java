package io.faro.maintenance.replay;

import io.faro.core.FaroException;
import io.faro.core.json.JsonSerde;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.topic.Topics;
import io.faro.maintenance.reconcile.LiveRecords;
import io.faro.maintenance.versions.OffsetSet;
import io.faro.maintenance.versions.VersionLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system of record as it is now: {@code faro.embeddings} read from its start to its current end
 * (committed records only), each record kept as its chunk id, document version (or tombstone) and position
 * in a {@link VersionLog} on local disk, never its vector or text. A repair picks the records it must write
 * again and {@link #fetchPicked} reads them in one more pass, up to the same end. A record that cannot be
 * read is skipped, as the sinks skipped it (they sent it to the dead-letter topic and kept what they had).
 */
public final class EmbeddingsSnapshot implements LiveRecords {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingsSnapshot.class);
    private static final Deserializer<EmbeddedChunk> DESERIALIZER = JsonSerde.of(EmbeddedChunk.class).deserializer();

    private final KafkaSettings kafka;
    private final Duration timeout;
    private final VersionLog versions;
    private final Map<TopicPartition, Long> end;
    private OffsetSet picked;

    private EmbeddingsSnapshot(KafkaSettings kafka, Duration timeout, VersionLog versions,
                               Map<TopicPartition, Long> end) {
        this.kafka = kafka;
        this.timeout = timeout;
        this.versions = versions;
        this.end = Map.copyOf(end);
        this.picked = newPicks();
    }

    /** Reads the topic to its end as it is now; fails when that takes longer than {@code timeout}. */
    public static EmbeddingsSnapshot read(KafkaSettings kafka, Duration timeout) {
        VersionLog log = VersionLog.create();
        try {
            Map<TopicPartition, Long> end = scan(kafka, timeout, Optional.empty(), record -> {
                if (record.value() == null) {
                    log.add(VersionLog.Entry.tombstone(record.key(), record.partition(), record.offset()));
                } else {
                    decode(record).ifPresent(embedded -> log.add(VersionLog.Entry.live(record.key(),
                            embedded.chunk().docVersion(), record.partition(), record.offset())));
                }
            });
            return new EmbeddingsSnapshot(kafka, timeout, log, end);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Reads {@code faro.embeddings} from its start to {@code until} (its end as it is now when empty), handing
     * on every record in order per partition; returns the end it read to.
     */
    public static Map<TopicPartition, Long> scan(KafkaSettings kafka, Duration timeout,
                                                 Optional<Map<TopicPartition, Long>> until,
                                                 Consumer<ConsumerRecord<String, byte[]>> handler) {
        // Assigned partitions and no group: it commits nothing, and needs read access to the topic alone.
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = until.map(u -> List.copyOf(u.keySet())).orElseGet(() ->
                    consumer.partitionsFor(Topics.EMBEDDINGS.name(), timeout).stream()
                            .map(info -> new TopicPartition(info.topic(), info.partition())).toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = until.orElseGet(() -> consumer.endOffsets(partitions, timeout));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new FaroException("could not read " + Topics.EMBEDDINGS.name() + " to its end within "
                            + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        handler.accept(record);
                    }
                }
            }
            return end;
        }
    }

    /** The embedding a non-tombstone record holds; empty, and logged, when it cannot be read. */
    public static Optional<EmbeddedChunk> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(DESERIALIZER.deserialize(record.topic(), record.value()));
        } catch (SerializationException e) {
            LOG.warn("{} record of chunk {} at partition {} offset {} cannot be read and is skipped,"
                    + " as the sinks skipped it: {}", record.topic(), record.key(), record.partition(),
                    record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public VersionLog versions() {
        return versions;
    }

    @Override
    public void pick(VersionLog.Entry entry) {
        picked.add(entry.partition(), entry.offset());
    }

    @Override
    public void fetchPicked(int batchSize, Consumer<List<EmbeddedChunk>> batch) {
        if (picked.size() > 0) {
            List<EmbeddedChunk> pending = new ArrayList<>(batchSize);
            scan(kafka, timeout, Optional.of(end), record -> {
                if (record.value() != null && picked.contains(record.partition(), record.offset())) {
                    decode(record).ifPresent(pending::add);
                    if (pending.size() >= batchSize) {
                        batch.accept(List.copyOf(pending));
                        pending.clear();
                    }
                }
            });
            if (!pending.isEmpty()) {
                batch.accept(List.copyOf(pending));
            }
        }
        picked.close();
        picked = newPicks();
    }

    private OffsetSet newPicks() {
        Map<Integer, Long> ends = new HashMap<>();
        end.forEach((partition, offset) -> ends.put(partition.partition(), offset));
        return new OffsetSet(ends);
    }

    @Override
    public void close() {
        picked.close();
        versions.close();
    }
}
