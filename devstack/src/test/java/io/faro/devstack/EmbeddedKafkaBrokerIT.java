package io.faro.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.config.FaroConfig;
import io.faro.devstack.testing.TestPostgres;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.topic.TopicInitializer;
import io.faro.core.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @TempDir
    Path dir;

    @Test
    void shouldKeepTopicsAndRecordsAcrossRestart() throws Exception {
        Path logDir = dir.resolve("kafka");
        int port = TestPostgres.freePort();

        // given a broker with FARO's topics and one record
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, port)) {
            TopicInitializer.ensureTopics(KafkaSettings.at(broker.bootstrapServers()),
                    FaroConfig.DEFAULT_MAX_DOCUMENT_BYTES);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), "k", "v")).get();
            }
        }
        assertThat(Files.exists(logDir.resolve("meta.properties"))).isTrue();

        // when it restarts on the same log directory
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, port);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            // then the topics, their settings and the record are still there
            Map<String, TopicDescription> topics = admin.describeTopics(
                    Topics.ALL.stream().map(Topics.TopicSpec::name).toList()).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(topics).containsOnlyKeys(Topics.ALL.stream().map(Topics.TopicSpec::name).toArray(String[]::new));
            assertThat(topics.get(Topics.EMBEDDINGS.name()).partitions()).hasSize(3);
            ConfigResource embeddings = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EMBEDDINGS.name());
            assertThat(admin.describeConfigs(List.of(embeddings)).all().get().get(embeddings)
                    .get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(readAll(broker.bootstrapServers())).extracting(ConsumerRecord::value).containsExactly("v");
        }
    }

    @Test
    void shouldCompactAChunksTopicMadeBeforeFaroReliedOnItsCompaction() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), TestPostgres.freePort());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            // given faro.chunks as older FARO versions made it: deleted after the retention time
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(Topics.CHUNKS.name(), 2, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete")))).all().get(30, TimeUnit.SECONDS);

            TopicInitializer.ensureTopics(KafkaSettings.at(broker.bootstrapServers()),
                    FaroConfig.DEFAULT_MAX_DOCUMENT_BYTES);

            ConfigResource chunks = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CHUNKS.name());
            assertThat(admin.describeConfigs(List.of(chunks)).all().get().get(chunks)
                    .get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(String servers) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, "restart-check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.DOCUMENTS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    return java.util.stream.StreamSupport.stream(records.spliterator(), false).toList();
                }
            }
            return List.of();
        }
    }
}
