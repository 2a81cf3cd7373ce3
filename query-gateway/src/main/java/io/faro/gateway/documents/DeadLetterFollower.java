package io.faro.gateway.documents;

import io.faro.core.kafka.KafkaSettings;
import io.faro.core.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code faro.dlq} in the background and notes every document rejection in {@link Rejections}.
 *
 * <p>It reads every partition itself, without a consumer group: each gateway replica keeps its own
 * rejections, so each must see every dead letter, and a committed position would be of no use, since the
 * rejections live in memory. When it starts (and so after every restart) it reads from {@code lookback}
 * ago ({@code FARO_REJECTIONS_LOOKBACK_S}), which rebuilds what it knew; partitions added later are read
 * from their start. It reads committed records only (ingest writes dead letters in transactions). While
 * Kafka is away it tries again every few seconds; the gateway serves on meanwhile.
 */
public final class DeadLetterFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFollower.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofSeconds(5);
    private static final Duration PARTITION_REFRESH = Duration.ofMinutes(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Rejections rejections;
    private final Duration lookback;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private Instant nextRefresh = Instant.MIN;
    private boolean warned;

    private DeadLetterFollower(KafkaConsumer<byte[], byte[]> consumer, Rejections rejections, Duration lookback) {
        this.consumer = consumer;
        this.rejections = rejections;
        this.lookback = lookback;
        this.thread = new Thread(this::run, "faro-dlq-follower");
        this.thread.setDaemon(true);
    }

    public static DeadLetterFollower start(KafkaSettings kafka, Rejections rejections, Duration lookback,
                                           String clientId) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        DeadLetterFollower follower = new DeadLetterFollower(consumer, rejections, lookback);
        follower.thread.start();
        return follower;
    }

    private void run() {
        try {
            while (closing.getCount() > 0) {
                try {
                    if (Instant.now().isAfter(nextRefresh)) {
                        assignNewPartitions();
                    }
                    if (!assigned.isEmpty()) {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                            DeadLetterRecords.rejection(record).ifPresent(rejections::rejected);
                        }
                    }
                    warned = false;
                } catch (WakeupException e) {
                    // close() woke the poll
                } catch (KafkaException e) {
                    if (!warned) {
                        LOG.warn("cannot read {} ({}); trying again every {} s, rejections are not reported"
                                + " meanwhile", Topics.DLQ.name(), e.getMessage(), RETRY.toSeconds());
                        warned = true;
                    }
                    nextRefresh = Instant.MIN;
                    closing.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns the partitions not yet read: at start from {@code lookback} ago, later ones from their start. */
    private void assignNewPartitions() throws InterruptedException {
        List<PartitionInfo> partitions = consumer.partitionsFor(Topics.DLQ.name(), RETRY.multipliedBy(2));
        if (partitions == null || partitions.isEmpty()) {
            closing.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        nextRefresh = Instant.now().plus(PARTITION_REFRESH);
        Set<TopicPartition> added = new HashSet<>();
        partitions.forEach(p -> added.add(new TopicPartition(p.topic(), p.partition())));
        added.removeAll(assigned);
        if (added.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> starts = new HashMap<>();
        boolean starting = assigned.isEmpty();
        if (starting) {
            long since = Instant.now().minus(lookback).toEpochMilli();
            Map<TopicPartition, Long> query = new HashMap<>();
            added.forEach(tp -> query.put(tp, since));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, RETRY.multipliedBy(2));
            Map<TopicPartition, Long> ends = consumer.endOffsets(added, RETRY.multipliedBy(2));
            // no dead letter since then: start at the end
            added.forEach(tp -> starts.put(tp, found.get(tp) == null ? ends.get(tp) : found.get(tp).offset()));
        } else {
            Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(added, RETRY.multipliedBy(2));
            starts.putAll(beginnings);
        }
        Set<TopicPartition> all = new HashSet<>(assigned);
        all.addAll(added);
        consumer.assign(all);
        starts.forEach(consumer::seek);
        assigned.addAll(added);
        LOG.info("following {} for rejected documents: {} partitions from {}", Topics.DLQ.name(), added.size(),
                starting ? lookback.toHours() + " h ago" : "their start");
    }

    @Override
    public void close() {
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
