package io.faro.maintenance.replay;

import io.faro.core.kafka.KafkaSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a compacted, chunk-keyed topic from its start, in passes: each pass reads from where the last
 * one stopped to the end of the topic as it is when the pass starts (committed records only), and
 * hands the records on in batches, the latest record of each key kept and a tombstone as a null value.
 * Between passes the caller can switch a store, then read on from exactly where it stopped.
 */
public final class TopicReplay implements Replay {

    /**
     * How far a pass has come. {@code total} counts offsets, an upper bound of the records: transaction
     * markers and compacted-away records take offsets too. The last report of a pass has the true count.
     */
    public record Progress(String phase, long done, long total, double recordsPerSecond) {

        public Duration remaining() {
            return recordsPerSecond <= 0 ? Duration.ZERO
                    : Duration.ofSeconds((long) Math.ceil((total - done) / recordsPerSecond));
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<TopicPartition> partitions;
    private final int batchSize;
    private final Consumer<Progress> progress;

    public TopicReplay(KafkaSettings kafka, String topic, int batchSize, Consumer<Progress> progress) {
        this.batchSize = batchSize;
        this.progress = progress;
        // Assigned partitions and no group: a replay commits nothing, and needs read access to the topic alone.
        this.consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize)), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> assigned = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        this.partitions = Set.copyOf(assigned);
    }

    /** Opens a {@code TopicReplay} of each topic asked for, reporting to {@code progress}. */
    public static Replay.Opener opener(KafkaSettings kafka, Consumer<Progress> progress) {
        return (topic, batchSize) -> new TopicReplay(kafka, topic, batchSize, progress);
    }

    /** Reads to the end offsets as they are now; returns the records read. */
    @Override
    public long pass(String phase, BatchHandler handler) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long total = partitions.stream().mapToLong(p -> end.get(p) - consumer.position(p)).sum();
        long done = 0;
        long start = System.nanoTime();
        long lastReport = 0;
        Map<String, byte[]> batch = new LinkedHashMap<>();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                    continue; // past this pass's end: the next pass reads it again
                }
                batch.put(record.key(), record.value());
                done++;
                if (batch.size() >= batchSize) {
                    handler.apply(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                handler.apply(batch);
                batch.clear();
            }
            // records past this pass's end were polled but not handed on: step back so the next pass sees them
            for (TopicPartition partition : partitions) {
                if (consumer.position(partition) > end.get(partition)) {
                    consumer.seek(partition, end.get(partition));
                }
            }
            long now = System.nanoTime();
            if (now - lastReport > 1_000_000_000L) {
                lastReport = now;
                progress.accept(new Progress(phase, done, total, done / ((now - start) / 1e9)));
            }
        }
        progress.accept(new Progress(phase, done, done, done / Math.max(1e-9, (System.nanoTime() - start) / 1e9)));
        return done;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
