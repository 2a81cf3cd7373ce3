package io.faro.cli.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.cli.faults.FaroProcess;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.JsonSerde;
import io.faro.core.model.Chunk;
import io.faro.core.topic.Topics;
import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.devstack.testing.TestPostgres;
import io.faro.s3.testing.TestS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connectors as an operator runs them: {@code faro run s3-source chunk-archive} as an OS process from the
 * distribution, configured by environment variables only, against a KRaft broker and S3Proxy; then {@code faro
 * restore}, also a process, after the chunks topic was lost.
 */
class ConnectorProcessIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String BUCKET = "faro-docs";
    private static final String INBOX = "inbox";

    private static EmbeddedKafkaBroker broker;
    private static TestS3 s3;
    private static Path work;

    @BeforeAll
    static void startPlatform() {
        work = TestPostgres.tempDirOthersCanEnter("faro-connectors-");
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), TestPostgres.freePort());
        s3 = TestS3.start();
        s3.createBucket(BUCKET);
        s3.createBucket(INBOX);
    }

    @AfterAll
    static void stopPlatform() {
        s3.close();
        broker.close();
    }

    private static Map<String, String> env(int port) {
        Map<String, String> env = new LinkedHashMap<>(s3.env(BUCKET));
        env.putAll(Map.of(
                FaroConfig.HOME, work.resolve("connectors").toString(),
                FaroConfig.KAFKA_BOOTSTRAP, broker.bootstrapServers(),
                FaroConfig.METRICS_PORT, Integer.toString(port),
                FaroConfig.S3_SOURCE_LOCATIONS, "s3://" + INBOX + "/manuals/",
                FaroConfig.S3_SOURCE_INTERVAL_MS, "300",
                FaroConfig.S3_MAX_ATTEMPTS, "5"));
        return env;
    }

    @Test
    void shouldPublishABucketsObjectsArchiveChunksAndRestoreThemWithTheShippedCommands() throws Exception {
        // given: both connectors in one process
        int port = TestPostgres.freePort();
        Map<String, String> env = env(port);
        FaroProcess connectors = FaroProcess.start(env, work.resolve("connectors.log"), "s3-source", "chunk-archive");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(port, "/health/ready") == 200);

        // when: an object lands in the watched folder, and the ingest writes chunks
        s3.put(INBOX, "manuals/pump.txt", "The pump primes itself.".getBytes(StandardCharsets.UTF_8));
        Chunk chunk = new Chunk("s3://inbox/manuals/pump.txt#0", "s3://inbox/manuals/pump.txt", 3, 0, "pump.txt",
                "The pump primes itself.", Map.of());
        byte[] chunkJson = JsonSerde.of(Chunk.class).serializer().serialize(Topics.CHUNKS.name(), chunk);
        send(Topics.CHUNKS.name(), chunk.chunkId(), chunkJson);

        // then: the object is published as a claim check, and the chunk archived
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(records(Topics.DOCUMENTS.name()))
                .extracting(ConsumerRecord::key).containsExactly("s3://inbox/manuals/pump.txt"));
        String archived = "chunks/s3%3A%2F%2Finbox%2Fmanuals%2Fpump.txt/0.json";
        await().atMost(Duration.ofSeconds(60)).until(() -> s3.client().listObjectsV2(b -> b.bucket(BUCKET)
                .prefix("chunks/")).contents().stream().anyMatch(o -> o.key().equals(archived)));
        assertThat(metrics(port)).contains("faro_s3_source_leader 1.0")
                .containsPattern("faro_archive_writes_total\\{[^}]*operation=\"put\"[^}]*\\} 1\\.0");

        // when: the process stops on SIGTERM, and the cluster loses faro.chunks
        connectors.terminate();
        assertThat(connectors.awaitExit(Duration.ofSeconds(30))).isIn(0, 143);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.deleteTopics(List.of(Topics.CHUNKS.name())).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get(30, TimeUnit.SECONDS)
                    .contains(Topics.CHUNKS.name()));
        }
        FaroProcess restore = FaroProcess.command(env, work.resolve("restore.log"), "restore");

        // then: faro restore brings the chunk back, and says what to do next
        assertThat(restore.awaitExit(Duration.ofSeconds(120))).as(restore.output()).isZero();
        assertThat(restore.output()).contains("restored 1 chunks into faro.chunks").contains("faro reembed --model");
        assertThat(records(Topics.CHUNKS.name())).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(chunk.chunkId());
            assertThat(record.value()).isEqualTo(chunkJson);
        });
    }

    private static int get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String metrics(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void send(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Every committed record of a topic. */
    private static List<ConsumerRecord<String, byte[]>> records(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
