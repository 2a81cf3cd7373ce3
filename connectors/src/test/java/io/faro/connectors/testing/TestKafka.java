package io.faro.connectors.testing;

import static org.awaitility.Awaitility.await;

import io.faro.core.config.FaroConfig;
import io.faro.core.kafka.KafkaSecurity;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.kafka.TopicsMode;
import io.faro.core.topic.TopicInitializer;
import io.faro.core.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * spring-kafka-test's embedded KRaft broker (one node, on a random port of 127.0.0.1), set up for transactions on a
 * single node, without topic auto-creation (FARO's own start-up creates its topics, as {@code FARO_TOPICS_MODE=create}
 * does on a cluster of one's own), with the reads and writes the connector tests check topics with.
 */
public final class TestKafka implements AutoCloseable {

    private final EmbeddedKafkaKraftBroker broker;

    private TestKafka(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    public static TestKafka start() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, FaroConfig.DEFAULT_TOPIC_PARTITIONS);
        broker.brokerProperties(Map.of(
                "auto.create.topics.enable", "false",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        return new TestKafka(broker);
    }

    /** FARO's settings for this broker: plaintext, topics created by FARO. */
    public KafkaSettings settings(String instanceId) {
        return new KafkaSettings(Optional.of(broker.getBrokersAsString()), FaroConfig.DEFAULT_KAFKA_PORT,
                FaroConfig.DEFAULT_TOPIC_PARTITIONS, TopicsMode.CREATE, KafkaSecurity.PLAINTEXT, Optional.empty(),
                instanceId);
    }

    public KafkaSettings settings() {
        return settings("test");
    }

    /** Creates the pipeline's topics and these, as a component does at start-up. */
    public void ensureTopics(List<Topics.TopicSpec> topics) {
        TopicInitializer.ensureTopics(settings(), FaroConfig.DEFAULT_MAX_DOCUMENT_BYTES, topics);
    }

    /** Deletes topics, as a lost cluster has lost them, and waits until they are gone. */
    public void deleteTopics(Collection<String> topics) {
        try (Admin admin = admin()) {
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS)
                    .stream().noneMatch(topics::contains));
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete " + topics, e);
        }
    }

    /** Every committed record of a topic, in offset order per partition, partitions one after the other. */
    public List<ConsumerRecord<String, byte[]>> records(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings().clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.offset() < end.get(new TopicPartition(topic, record.partition()))) {
                        records.add(record);
                    }
                });
            }
            return records;
        }
    }

    /** The sum of a topic's end offsets. */
    public long endOffsets(String topic) {
        try (Admin admin = admin()) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition()))
                    .collect(java.util.stream.Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            return admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
    }

    /** The offsets a group has committed on a topic, summed over its partitions. */
    public long committed(String group, String topic) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + group, e);
        }
    }

    /** Writes records (a null value is a tombstone) and waits until the broker has them. */
    public void send(String topic, List<Map.Entry<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings().clientProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> record : records) {
                producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue()));
            }
            producer.flush();
        }
    }

    /** Writes raw bytes as key and value: records no FARO client would write. */
    public void sendRaw(String topic, byte[] key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings().clientProperties(Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value));
            producer.flush();
        }
    }

    private Admin admin() {
        return Admin.create(settings().clientProperties());
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
