package io.faro.core.metrics;

import io.faro.core.kafka.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How far a consumer group is behind on a topic, measured at the broker: the records between the group's
 * committed offsets and the end of the topic (the last stable offset, as a read-committed consumer sees
 * it), and the age of the oldest of them (the timestamp of the record at the committed offset). Unlike a
 * consumer's own lag metrics, this stays right while the consumer is idle, stuck or gone. A partition the
 * group has not committed on counts from the start of the log, where FARO's consumers begin. A partition
 * whose remaining offsets hold only transaction markers or aborted records counts as caught up.
 */
public final class ConsumerLag implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    /** Records behind, and the age in seconds of the oldest of them (0 when there are none). */
    public record Lag(long records, double seconds) {
        public static final Lag NONE = new Lag(0, 0);
    }

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;

    public ConsumerLag(KafkaSettings kafka) {
        this.admin = Admin.create(kafka.clientProperties(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis() / 2,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis())));
        // No group: it reads one record per lagging partition by position and never commits.
        this.reader = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Not thread-safe: one caller at a time (the reader is a Kafka consumer). */
    public Lag measure(String group, String topic, long nowMs) {
        List<TopicPartition> partitions = call(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
        Map<TopicPartition, Long> behind = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = committed.get(tp);
            long from = Math.max(offset == null ? 0 : offset.offset(), start.get(tp));
            if (end.get(tp) > from) {
                behind.put(tp, from);
            }
        }
        if (behind.isEmpty()) {
            return Lag.NONE;
        }
        Oldest oldest = oldestRecords(behind, end);
        long records = 0;
        double seconds = 0;
        for (Map.Entry<TopicPartition, Long> entry : behind.entrySet()) {
            TopicPartition tp = entry.getKey();
            if (oldest.onlyMarkers().contains(tp)) {
                continue;
            }
            records += end.get(tp) - entry.getValue();
            Long timestamp = oldest.timestamps().get(tp);
            if (timestamp != null) {
                seconds = Math.max(seconds, Math.max(0, nowMs - timestamp) / 1000.0);
            }
        }
        return new Lag(records, seconds);
    }

    /** What reading from the committed offsets found: a first record's timestamp, or nothing but markers. */
    private record Oldest(Map<TopicPartition, Long> timestamps, Set<TopicPartition> onlyMarkers) {
    }

    private Oldest oldestRecords(Map<TopicPartition, Long> from, Map<TopicPartition, Long> end) {
        reader.assign(from.keySet());
        from.forEach(reader::seek);
        Map<TopicPartition, Long> timestamps = new HashMap<>();
        Set<TopicPartition> onlyMarkers = new HashSet<>();
        Set<TopicPartition> open = new HashSet<>(from.keySet());
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            ConsumerRecords<byte[], byte[]> records = reader.poll(Duration.ofMillis(100));
            for (TopicPartition tp : records.partitions()) {
                if (open.remove(tp)) {
                    timestamps.put(tp, records.records(tp).getFirst().timestamp());
                }
            }
            for (TopicPartition tp : Set.copyOf(open)) {
                if (reader.position(tp) >= end.get(tp)) {
                    open.remove(tp);
                    onlyMarkers.add(tp);
                }
            }
            reader.pause(from.keySet().stream().filter(tp -> !open.contains(tp)).toList());
        }
        reader.unsubscribe();
        return new Oldest(timestamps, onlyMarkers);
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), tp -> spec));
        return call(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = call(admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata());
            Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
            offsets.forEach((tp, offset) -> {
                if (offset != null) {
                    present.put(tp, offset);
                }
            });
            return present;
        } catch (KafkaException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw e;
        }
    }

    private static <T> T call(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while asking Kafka for offsets", e);
        } catch (ExecutionException e) {
            throw new KafkaException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Kafka did not answer within " + CALL_TIMEOUT.toSeconds() + " s", e);
        }
    }

    @Override
    public void close() {
        reader.close();
        admin.close();
    }
}
