package io.faro.connectors.source;

import io.faro.connectors.kafka.KafkaFactories;
import io.faro.core.config.S3Location;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code faro run s3-source}: watches {@code s3://bucket/prefix} locations and publishes every new or changed
 * object as a document with a claim check ({@link ObjectDocuments}), and every deleted object as a tombstone,
 * each change exactly once, across restarts and replicas.
 * <ul>
 *   <li>out: {@code faro.documents}, key the document id ({@code s3://bucket/key}), value the document JSON or a
 *       tombstone; and {@code faro.s3-source.state}, key the object's URI, value what was published of it
 *       ({@link ObjectState}) or a tombstone. Both in one transaction per page of changes.</li>
 *   <li>in: {@code faro.s3-source.state}, as a member of the group {@code faro-s3-source}, for one thing only: the
 *       group assigns the topic's single partition to one member, and that member lists.</li>
 * </ul>
 * <b>One lister at a time.</b> Every replica joins the group through a spring-kafka listener container; the one
 * assigned partition 0 starts a {@link Lister}, the others wait, and take over within the group's session timeout
 * when it stops or dies. The group alone could let two list for a moment (a lister paused past its session, then
 * waking); Kafka's transactions close that gap: every lister uses the same transactional id
 * ({@code faro-s3-source-0}), so the newer one's producer fences the older's, whose next commit fails, and which
 * then stops. A lister reads its position only after fencing, so it sees every change committed before it.
 */
public final class S3Source implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(S3Source.class);
    /** S3 requests in flight at once to look at new or changed objects (HEAD and tags). */
    private static final int REQUESTS = 16;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_TIMEOUT_MS = 1_000;

    private final KafkaSettings kafka;
    private final S3Client s3;
    private final List<S3Location> locations;
    private final Duration interval;
    private final SourceMetrics metrics;
    private final DefaultKafkaProducerFactory<String, byte[]> producers;
    private final SourcePublisher publisher;
    private final ExecutorService listerThread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("faro-s3-source-lister").daemon(true).factory());
    private final ExecutorService requests = Executors.newFixedThreadPool(REQUESTS,
            Thread.ofVirtual().name("faro-s3-source-s3-", 0).factory());
    private ConcurrentMessageListenerContainer<String, byte[]> container;
    private Lister lister;

    private S3Source(KafkaSettings kafka, S3Client s3, List<S3Location> locations, Duration interval,
                     MeterRegistry meters) {
        this.kafka = kafka;
        this.s3 = s3;
        this.locations = List.copyOf(locations);
        this.interval = interval;
        this.metrics = new SourceMetrics(meters);
        this.producers = KafkaFactories.transactional(kafka, KafkaIds.S3_SOURCE_TRANSACTIONAL_ID_PREFIX,
                new StringSerializer(), new ByteArraySerializer());
        this.publisher = new SourcePublisher(new KafkaTemplate<>(producers));
    }

    /** Joins the source's group; lists when the group says so. */
    public static S3Source start(KafkaSettings kafka, S3Client s3, List<S3Location> locations, Duration interval,
                                 MeterRegistry meters) {
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("the S3 source needs a location to watch");
        }
        S3Source source = new S3Source(kafka, s3, locations, interval, meters);
        source.join();
        return source;
    }

    private void join() {
        ContainerProperties properties = new ContainerProperties(Topics.S3_SOURCE_STATE.name());
        properties.setGroupId(KafkaIds.S3_SOURCE_GROUP);
        properties.setClientId(KafkaIds.S3_SOURCE_GROUP + "-" + kafka.instanceId());
        properties.setPollTimeout(POLL_TIMEOUT_MS);
        // stopping waits for the lister to finish its page (in the revocation), then leaves the group
        properties.setShutdownTimeout(STOP_TIMEOUT.plusSeconds(10).toMillis());
        // the records are the lister's own writes, read back by the position when a lister starts: nothing to do here
        properties.setMessageListener((MessageListener<String, byte[]>) record -> { });
        properties.setConsumerRebalanceListener(new Leadership());
        container = new ConcurrentMessageListenerContainer<>(KafkaFactories.consumers(kafka, Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                // a replica that joins or leaves takes the partition from no one who keeps it: the lister goes on
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()),
                new StringDeserializer(), new ByteArrayDeserializer()), properties);
        container.start();
        LOG.info("the S3 source joined group {} to watch {}", KafkaIds.S3_SOURCE_GROUP, locations);
    }

    /** Who lists, as the group assigns the state topic's partition 0. Called on the container's consumer thread. */
    private final class Leadership implements ConsumerAwareRebalanceListener {

        @Override
        public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            if (consumer.assignment().contains(statePartition())) {
                lead();
            }
        }

        @Override
        public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            if (partitions.contains(statePartition())) {
                follow();
            }
        }

        @Override
        public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            if (partitions.contains(statePartition())) {
                follow();
            }
        }
    }

    private static TopicPartition statePartition() {
        return new TopicPartition(Topics.S3_SOURCE_STATE.name(), SourcePublisher.STATE_PARTITION);
    }

    private synchronized void lead() {
        if (lister != null && !lister.isDone()) {
            return;
        }
        LOG.info("this replica of the S3 source lists now");
        lister = new Lister(kafka, s3, locations, interval, publisher, requests, metrics,
                () -> container.enforceRebalance());
        listerThread.submit(lister);
    }

    private synchronized void follow() {
        if (lister == null) {
            return;
        }
        if (!lister.stop(STOP_TIMEOUT)) {
            LOG.warn("the S3 source's lister did not stop within {} s; its next commit will be fenced",
                    STOP_TIMEOUT.toSeconds());
        }
        lister = null;
    }

    /** Whether this replica lists now. */
    public synchronized boolean isListing() {
        return lister != null && !lister.isDone();
    }

    /** Whether its group membership runs (every replica, listing or waiting). */
    public boolean isRunning() {
        return container.isRunning() && container.isInExpectedState();
    }

    /** Leaves the group (another replica takes over at once) after the lister finished its page. */
    @Override
    public void close() {
        container.stop();
        follow();
        listerThread.shutdownNow();
        requests.shutdownNow();
        producers.destroy();
    }
}
