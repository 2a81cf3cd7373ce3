package io.faro.connectors.archive;

import io.faro.connectors.kafka.KafkaFactories;
import io.faro.core.FaroException;
import io.faro.core.config.S3Location;
import io.faro.core.dlq.DeadLetterHeaders;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.metrics.MetricNames;
import io.faro.core.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code faro run chunk-archive}: keeps every live chunk of {@code faro.chunks} in S3 as JSON
 * ({@link ArchiveLayout}), and deletes the object of every chunk that is deleted (a document that shrank, or that
 * was deleted whole, sends a tombstone for each chunk it lost), so that {@code faro restore} can refill the topic
 * after a Kafka cluster is lost.
 * <ul>
 *   <li>in: {@code faro.chunks}, key chunk id, value chunk JSON or a tombstone, consumer group
 *       {@code faro-chunk-archive}, committed records only;</li>
 *   <li>out: S3 objects; {@code faro.dlq} for a record that is no chunk (stage {@code archive}).</li>
 * </ul>
 * A spring-kafka listener container: the offsets of a batch are committed once S3 has all its writes. A batch S3
 * refuses (throttling, 5xx, timeouts, or a bucket an operator must fix) is written again after an exponential
 * backoff, for as long as it takes: nothing is skipped, and the lag shows the wait. The archive is as complete as
 * it is current: a tombstone that compaction removed before the archive read it leaves its object behind, so its
 * lag must stay under the topic's {@code delete.retention.ms} (a restore drops chunks of a document's older
 * versions, but cannot tell a deleted document's).
 */
public final class ChunkArchive implements AutoCloseable {

    /** The stage named in the headers of the archive's dead letters. */
    public static final String DLQ_STAGE = "archive";

    private static final Logger LOG = LoggerFactory.getLogger(ChunkArchive.class);
    private static final long FIRST_RETRY_MS = 500;
    private static final long LONGEST_RETRY_MS = 30_000;
    private static final long POLL_TIMEOUT_MS = 1_000;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ConcurrentMessageListenerContainer<byte[], byte[]> container;
    private final ExecutorService requests;
    private final DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducers;

    private ChunkArchive(ConcurrentMessageListenerContainer<byte[], byte[]> container, ExecutorService requests,
                         DefaultKafkaProducerFactory<byte[], byte[]> deadLetterProducers) {
        this.container = container;
        this.requests = requests;
        this.deadLetterProducers = deadLetterProducers;
    }

    /**
     * Starts archiving.
     *
     * @param concurrency S3 requests in flight at once ({@code FARO_ARCHIVE_CONCURRENCY})
     */
    public static ChunkArchive start(KafkaSettings kafka, S3Client s3, S3Location archive, int concurrency,
                                     MeterRegistry meters) {
        ArchiveLayout layout = new ArchiveLayout(archive);
        ExecutorService requests = Executors.newFixedThreadPool(concurrency,
                Thread.ofVirtual().name("faro-archive-s3-", 0).factory());
        DefaultKafkaProducerFactory<byte[], byte[]> producers = KafkaFactories.idempotent(kafka, Map.of(),
                new ByteArraySerializer(), new ByteArraySerializer());
        DefaultKafkaConsumerFactory<byte[], byte[]> consumers = KafkaFactories.consumers(kafka, Map.of(
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                KafkaIds.groupInstanceId(KafkaIds.CHUNK_ARCHIVE_GROUP, kafka.instanceId())),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());

        ContainerProperties properties = new ContainerProperties(Topics.CHUNKS.name());
        properties.setGroupId(KafkaIds.CHUNK_ARCHIVE_GROUP);
        properties.setClientId(KafkaIds.CHUNK_ARCHIVE_GROUP + "-" + kafka.instanceId());
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setPollTimeout(POLL_TIMEOUT_MS);
        properties.setMessageListener(new ArchiveWriter(s3, layout, requests, meters));
        ConcurrentMessageListenerContainer<byte[], byte[]> container =
                new ConcurrentMessageListenerContainer<>(consumers, properties);
        container.setCommonErrorHandler(errorHandler(new KafkaTemplate<>(producers), meters));
        container.start();
        LOG.info("archiving {} to {} ({} S3 requests at a time)", Topics.CHUNKS.name(), layout.archive(), concurrency);
        return new ChunkArchive(container, requests, producers);
    }

    /**
     * Retries a batch S3 refused with a backoff from half a second to 30 seconds, without end; sends a record that
     * is no chunk to {@code faro.dlq} at once, unchanged, with FARO's error headers.
     */
    private static DefaultErrorHandler errorHandler(KafkaTemplate<byte[], byte[]> template, MeterRegistry meters) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(template,
                (record, e) -> new TopicPartition(Topics.DLQ.name(), -1));
        deadLetters.setExceptionHeadersCreator((headers, exception, isKey, names) -> {
            // FARO's own headers (below) say what went wrong; no stack trace travels with the record
        });
        deadLetters.addHeadersFunction(ChunkArchive::headers);
        Counter counted = meters.counter(MetricNames.DLQ_RECORDS, MetricNames.TAG_STAGE, DLQ_STAGE,
                MetricNames.TAG_REASON, "not_a_chunk");
        ExponentialBackOff backOff = new ExponentialBackOff(FIRST_RETRY_MS, 2.0);
        backOff.setMaxInterval(LONGEST_RETRY_MS);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, e) -> {
            LOG.warn("{} record at partition {} offset {} is no chunk, sent to {}: {}", Topics.CHUNKS.name(),
                    record.partition(), record.offset(), Topics.DLQ.name(), reason(e).getMessage());
            deadLetters.accept(record, e);
            counted.increment();
        }, backOff);
        handler.addNotRetryableExceptions(InvalidChunkRecordException.class);
        return handler;
    }

    private static Headers headers(ConsumerRecord<?, ?> record, Exception e) {
        Throwable reason = reason(e);
        Headers headers = new RecordHeaders();
        add(headers, DeadLetterHeaders.STAGE, DLQ_STAGE);
        add(headers, DeadLetterHeaders.REASON, String.valueOf(reason.getMessage()));
        add(headers, DeadLetterHeaders.EXCEPTION, reason.getClass().getName());
        add(headers, DeadLetterHeaders.FAILED_AT, Instant.now().toString());
        add(headers, DeadLetterHeaders.SOURCE_TOPIC, record.topic());
        add(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(record.partition()));
        add(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(record.offset()));
        return headers;
    }

    /** FARO's own exception under spring-kafka's wrappers, which say only that the listener failed. */
    private static Throwable reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FaroException) {
                return t;
            }
        }
        return e;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether every consumer of the container runs as it should (none stopped on a fatal error). */
    public boolean isRunning() {
        return container.isRunning() && container.isInExpectedState();
    }

    /** Stops consuming; a batch being written is finished first (or left uncommitted, and written again later). */
    @Override
    public void close() {
        container.stop();
        requests.shutdown();
        try {
            if (!requests.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                requests.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requests.shutdownNow();
        }
        deadLetterProducers.destroy();
    }
}
