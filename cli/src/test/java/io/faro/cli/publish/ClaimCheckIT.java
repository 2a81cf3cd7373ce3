package io.faro.cli.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.cli.component.Components;
import io.faro.core.Component;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.JsonSerde;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.model.Chunk;
import io.faro.core.model.Document;
import io.faro.core.topic.Topics;
import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.devstack.testing.TestPostgres;
import io.faro.s3.testing.S3Fault;
import io.faro.s3.testing.TestS3;
import io.faro.topology.dlq.DeadLetters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Claim checks through a real broker, exactly-once, with an S3 in the test JVM (S3Proxy) that is slow and faulty:
 * {@code faro publish} uploads a document too large for a record and publishes its claim check; the ingest
 * ({@code faro run ingest}, with FARO's own S3 client from {@code FARO_S3_*} and the SDK's default credentials chain)
 * fetches it. An S3 that holds a fetch for longer than a Kafka Streams transaction may stay open (10 s) holds back
 * only that document: the stream thread never waits for S3, so no transaction times out, the documents of other
 * ids pass meanwhile, and every chunk is written exactly once.
 */
class ClaimCheckIT {

    private static final String BUCKET = "faro-docs";
    private static final String PROPERTY_KEY = "aws.accessKeyId";
    private static final String PROPERTY_SECRET = "aws.secretAccessKey";
    /** Longer than the ingest's exactly-once transaction may stay open here: FARO_PARSE_TIMEOUT_MS (100) plus 30 s. */
    private static final Duration HOLD = Duration.ofSeconds(31);

    private static TestS3 s3;
    private static EmbeddedKafkaBroker broker;
    private static Components faro;
    private static FaroConfig config;

    @BeforeAll
    static void start() {
        s3 = TestS3.start();
        s3.createBucket(BUCKET);
        // the SDK's default chain finds these (as it finds AWS_ACCESS_KEY_ID in a pod's environment)
        System.setProperty(PROPERTY_KEY, TestS3.ACCESS_KEY);
        System.setProperty(PROPERTY_SECRET, TestS3.SECRET_KEY);
        Path home = TestPostgres.tempDirOthersCanEnter("faro-claim-check-");
        broker = EmbeddedKafkaBroker.start(home.resolve("kafka"), TestPostgres.freePort());
        Map<String, String> env = new HashMap<>(s3.env(BUCKET));
        env.putAll(Map.of(
                FaroConfig.HOME, home.toString(),
                FaroConfig.KAFKA_BOOTSTRAP, broker.bootstrapServers(),
                FaroConfig.METRICS_PORT, "0",
                FaroConfig.TOPIC_PARTITIONS, "1",
                FaroConfig.MAX_DOCUMENT_BYTES, "2048",
                // a held fetch must not time out on the client's side before the test releases it
                FaroConfig.S3_TIMEOUT_MS, "60000",
                FaroConfig.S3_MAX_ATTEMPTS, "1",
                FaroConfig.PARSE_TIMEOUT_MS, "100"));
        config = FaroConfig.from(Env.of(env));
        faro = Components.start(config, EnumSet.of(Component.INGEST));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {faro, broker, s3}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        System.clearProperty(PROPERTY_KEY);
        System.clearProperty(PROPERTY_SECRET);
    }

    @Test
    void shouldIngestClaimChecksExactlyOnceWhileS3IsSlowAndFaulty() throws Exception {
        // given: a handbook too large for a record, published by faro publish through S3 ...
        String handbook = "# Handbook\n\n" + "The lighthouse keeper trims the wick at dusk. ".repeat(80);
        Document large = new Document("handbook.md", "Handbook", handbook, Map.of("content_type", "text/markdown"));
        // ... whose fetch S3 holds for longer than a transaction may last, then throttles and fails
        S3Fault.Gate gate = S3Fault.gate();
        s3.faults().inject(gate, 1, "GET").inject(S3Fault.slowDown(), 2, "GET").inject(S3Fault.internalError(), 1, "GET");
        long rebalancesBefore = rebalances();
        assertThat(rebalancesBefore).as("the ingest joined its group").isPositive();
        try (ClaimCheckPublishing oversize = ClaimCheckPublishing.of(config)) {
            PublishCommand.publish(config.kafka(), config.maxDocumentBytes(), List.of(large), oversize);
        }
        assertThat(s3.client().headObject(b -> b.bucket(BUCKET).key("documents/handbook.md")).contentLength())
                .isEqualTo(handbook.getBytes(StandardCharsets.UTF_8).length);

        // when: other documents follow, one a new version of the held document, one a claim check of nothing
        long heldSince = System.nanoTime();
        send("handbook.md", "{\"id\":\"handbook.md\",\"text\":\"The second edition: the keeper trims the wick.\"}");
        for (int i = 0; i < 5; i++) {
            send("note-" + i, "{\"id\":\"note-" + i + "\",\"text\":\"Note " + i + " about tides and ships.\"}");
        }
        send("missing", "{\"id\":\"missing\",\"content_ref\":\"s3://" + BUCKET + "/documents/nothing-here.pdf\"}");

        // then: the other documents pass while S3 holds the fetch, and the held one waits whole
        Map<String, List<Chunk>> chunks = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(); KafkaConsumer<byte[], byte[]> dlq = dlqConsumer()) {
            consumer.subscribe(List.of(Topics.CHUNKS.name()));
            dlq.subscribe(List.of(Topics.DLQ.name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                poll(consumer, chunks);
                return chunks.keySet().containsAll(List.of("note-0", "note-4"));
            });
            assertThat(chunks).doesNotContainKey("handbook.md");
            // S3 is slow: the fetch stays held past a transaction's timeout, and the document stays out meanwhile
            Duration left = HOLD.minusNanos(System.nanoTime() - heldSince);
            if (!left.isNegative()) {
                await().during(left).atMost(left.plusSeconds(30)).until(() -> {
                    poll(consumer, chunks);
                    return !chunks.containsKey("handbook.md");
                });
            }
            assertThat(chunks).doesNotContainKey("handbook.md");

            // when S3 answers again (after throttling and an error, retried)
            gate.open();

            // then: the first edition comes, then the second, each chunk once; the missing object is dead-lettered
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                poll(consumer, chunks);
                dlq.poll(Duration.ofMillis(100)).forEach(deadLetters::add);
                return chunks.getOrDefault("handbook.md", List.of()).stream()
                        .anyMatch(c -> c.text().startsWith("The second edition")) && !deadLetters.isEmpty();
            });
            poll(consumer, chunks);
        }
        List<Chunk> handbookChunks = chunks.get("handbook.md");
        long firstEdition = handbookChunks.getFirst().docVersion();
        assertThat(handbookChunks).filteredOn(c -> c.docVersion() == firstEdition).extracting(Chunk::text)
                .anyMatch(text -> text.contains("The lighthouse keeper trims the wick at dusk."));
        assertThat(handbookChunks.getLast().text()).startsWith("The second edition");
        assertThat(handbookChunks.getLast().docVersion()).isGreaterThan(firstEdition);
        assertThat(handbookChunks).extracting(Chunk::docVersion).isSorted();
        chunks.values().forEach(list -> assertThat(list).extracting(c -> c.chunkId() + "@" + c.docVersion())
                .doesNotHaveDuplicates());
        assertThat(s3.faults().pending()).isZero();
        assertThat(deadLetters).singleElement().satisfies(dead -> {
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("missing");
            assertThat(new String(dead.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .contains("no such object");
        });
        // and the stream thread never lost its transaction: no task migrated, no rebalance
        assertThat(rebalances()).isEqualTo(rebalancesBefore);
    }

    private static void send(String key, String json) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), key, json)).get();
        }
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "claim-check-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaConsumer<byte[], byte[]> dlqConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "claim-check-it-dlq-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void poll(KafkaConsumer<String, byte[]> consumer, Map<String, List<Chunk>> chunks) {
        var serde = JsonSerde.of(Chunk.class).deserializer();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            Chunk chunk = serde.deserialize(Topics.CHUNKS.name(), record.value());
            if (chunk != null) {
                chunks.computeIfAbsent(chunk.docId(), id -> new ArrayList<>()).add(chunk);
            }
        }
    }

    /** Rebalances of the ingest's consumer so far, from its own metrics. */
    private static long rebalances() throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(faro.metricsUrl())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<String> lines = metrics.lines().filter(line -> line.startsWith("kafka_consumer_coordinator_rebalance_total"))
                .toList();
        assertThat(lines).as("the consumer's rebalance counter in /metrics").isNotEmpty();
        return (long) lines.stream().mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
