package io.faro.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.cli.up.LocalFaro;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.devstack.LocalPostgres;
import io.faro.core.store.VectorStore;
import io.faro.stores.pgvector.PgVectorStore;
import io.faro.stores.qdrant.QdrantStore;
import io.faro.devstack.testing.TestPostgres;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import io.faro.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults injected while documents flow, each scenario ending with the checker: once the system is
 * quiet, both stores hold exactly the live chunks of the embeddings topic, at their latest version.
 * The broker, PostgreSQL and the Qdrant stand-in belong to the test, so it can break them.
 */
class FaultInjectionIT {

    private static final Duration QUIET = Duration.ofSeconds(90);

    private static Path kafkaDir;
    private static int kafkaPort;
    private static EmbeddedKafkaBroker broker;
    private static LocalPostgres postgres;
    private static Path pgDir;
    private static int pgPort;
    private static QdrantStandIn qdrant;
    private static FaroConfig config;
    private static LocalFaro faro;
    private static VectorStore pgvectorView;
    private static VectorStore qdrantView;
    private static TrackedPublisher publisher;
    private static StoreChecker checker;

    @BeforeAll
    static void start() {
        kafkaDir = TestPostgres.tempDirOthersCanEnter("faro-faults-kafka-");
        kafkaPort = TestPostgres.freePort();
        broker = EmbeddedKafkaBroker.start(kafkaDir, kafkaPort);
        pgDir = TestPostgres.tempDirOthersCanEnter("faro-faults-pg-").resolve("data");
        pgPort = TestPostgres.freePort();
        postgres = LocalPostgres.start(pgDir, pgPort);
        qdrant = QdrantStandIn.start();
        config = FaroConfig.from(Env.of(Map.ofEntries(
                Map.entry(FaroConfig.HOME, TestPostgres.tempDirOthersCanEnter("faro-faults-").toString()),
                Map.entry(FaroConfig.KAFKA_BOOTSTRAP, broker.bootstrapServers()),
                Map.entry(FaroConfig.HTTP_PORT, "0"),
                Map.entry(FaroConfig.PG_URL, postgres.url()),
                Map.entry(FaroConfig.QDRANT_URL, qdrant.url()),
                Map.entry(FaroConfig.QDRANT_TIMEOUT_MS, "2000"),
                Map.entry(FaroConfig.SINK_LINGER_MS, "50"),
                Map.entry(FaroConfig.CHUNK_SIZE_TOKENS, "32"),
                Map.entry(FaroConfig.CHUNK_OVERLAP_TOKENS, "0"),
                Map.entry(FaroConfig.MAX_DOCUMENT_BYTES, "4096"),
                Map.entry(FaroConfig.TOPIC_PARTITIONS, "2"))));
        faro = LocalFaro.start(config);
        publisher = new TrackedPublisher(broker.bootstrapServers());
        String model = config.embedding().model();
        int dimension = config.embedding().dimension();
        pgvectorView = PgVectorStore.open(postgres.url(), config.pg().table(), model, dimension);
        qdrantView = QdrantStore.open(qdrant.url(), Optional.empty(), config.qdrant().orElseThrow().collection(), model,
                dimension, Duration.ofSeconds(2));
        checker = new StoreChecker(broker.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {publisher, pgvectorView, qdrantView, faro, broker, postgres,
                qdrant}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @Test
    void shouldConvergeWhenQdrantFailsEveryOtherCall() {
        Set<String> ids = new HashSet<>();
        qdrant.failEveryOtherCall(true);
        try {
            for (int i = 0; i < 8; i++) {
                ids.add(publish("flaky-" + i, text(i, 3)));
            }
            await().atMost(QUIET).ignoreExceptions()
                    .until(() -> pgvectorView.chunkIdsOf("flaky-7").size() > 0);
        } finally {
            qdrant.failEveryOtherCall(false);
        }
        assertQuietAndConsistent(ids);
    }

    @Test
    void reconcileShouldFindAndRepairADeletedAndAnInjectedRow() {
        Set<String> ids = Set.of(publish("reconciled", text(0, 3)));
        assertQuietAndConsistent(ids);
        var live = checker.liveChunks();
        var kept = live.get("reconciled#0");
        var injected = new io.faro.core.model.EmbeddedChunk(new io.faro.core.model.Chunk("ghost#0", "ghost", 1L, 0,
                "ghost", "injected", Map.of()), kept.model(), kept.dimension(), kept.vector());
        pgvectorView.delete(List.of("reconciled#0"));
        pgvectorView.upsert(List.of(injected));

        var report = new java.io.ByteArrayOutputStream();
        int found = io.faro.cli.reconcile.ReconcileCommand.run(config, false,
                new java.io.PrintStream(report, true, StandardCharsets.UTF_8));

        assertThat(found).isEqualTo(io.faro.cli.reconcile.ReconcileCommand.DRIFT);
        assertThat(report.toString(StandardCharsets.UTF_8))
                .contains("pgvector: ").contains("1 missing, 1 extra, 0 stale").contains("ghost").contains("reconciled")
                .contains("qdrant: ").contains("0 missing, 0 extra, 0 stale");

        var repairReport = new java.io.ByteArrayOutputStream();
        int repaired = io.faro.cli.reconcile.ReconcileCommand.run(config, true,
                new java.io.PrintStream(repairReport, true, StandardCharsets.UTF_8));

        assertThat(repaired).isZero();
        assertThat(repairReport.toString(StandardCharsets.UTF_8)).contains("pgvector: repaired 2 chunks in 2 documents");
        assertThat(pgvectorView.chunkIdsOf("ghost")).isEmpty();
        assertThat(pgvectorView.chunkIdsOf("reconciled")).contains("reconciled#0");
        assertQuietAndConsistent(ids);
    }

    @Test
    void shouldConvergeWhenPostgresIsStoppedForAWhileDuringIngest() {
        Set<String> ids = new HashSet<>();
        ids.add(publish("pgstop-a", text(0, 3)));
        postgres.close();
        try {
            for (int i = 0; i < 4; i++) {
                ids.add(publish("pgstop-b-" + i, text(i + 1, 3)));
            }
            await().atMost(QUIET).ignoreExceptions().until(() -> qdrantView.chunkIdsOf("pgstop-b-3").size() > 0);
        } finally {
            postgres = LocalPostgres.start(pgDir, pgPort);
        }
        assertQuietAndConsistent(ids);
    }

    @Test
    void shouldConvergeWhenTheBrokerRestartsDuringIngest() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            ids.add(publish("restart-a-" + i, text(i, 2)));
        }
        broker.close();
        broker = EmbeddedKafkaBroker.start(kafkaDir, kafkaPort);
        for (int i = 0; i < 4; i++) {
            ids.add(publish("restart-b-" + i, text(i + 4, 2)));
        }
        assertQuietAndConsistent(ids);
    }

    @Test
    void shouldDeadLetterExactlyThePoisonRecordsAndProcessTheRest() {
        Map<TopicPartition, Long> dlqStart = endOffsets(Topics.DLQ.name());
        Set<String> good = new HashSet<>();
        List<String> poison = new ArrayList<>();
        good.add(publish("poison-good-0", text(0, 2)));
        poison.add(send("poison-json", "{\"id\": \"poison-json\", \"text\": ".getBytes(StandardCharsets.UTF_8)));
        good.add(publish("poison-good-1", text(1, 2)));
        poison.add(send("poison-empty", json("poison-empty", "   ")));
        poison.add(send("poison-nul", json("poison-nul", "before\u0000after")));
        good.add(publish("poison-good-2", text(2, 2)));
        poison.add(send("poison-big", json("poison-big", "x".repeat(5_000))));
        poison.add(send("poison-key", json("another-id", "key and id differ")));
        poison.add(send("poison-utf8", new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));
        poison.add(send("poison-array", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8)));
        good.add(publish("poison-good-3", text(3, 2)));

        assertQuietAndConsistent(good);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(deadLetterKeysSince(dlqStart)).containsExactlyInAnyOrderElementsOf(poison));
    }

    @Test
    void shouldFollowDocumentsThatGrowShrinkDieAndComeBack() {
        Set<String> ids = Set.of("life-grow", "life-shrink", "life-dead", "life-back");
        publish("life-grow", text(0, 1));
        publish("life-shrink", text(1, 5));
        publish("life-dead", text(2, 3));
        publish("life-back", text(3, 3));
        publish("life-grow", text(0, 5));
        publish("life-shrink", text(1, 1));
        tombstone("life-dead");
        tombstone("life-back");
        publish("life-back", text(4, 2));

        assertQuietAndConsistent(ids);
        assertThat(pgvectorView.chunkIdsOf("life-dead")).isEmpty();
        assertThat(pgvectorView.chunkIdsOf("life-grow")).hasSizeGreaterThan(pgvectorView.chunkIdsOf("life-shrink").size());
        assertThat(qdrantView.chunkIdsOf("life-back")).isNotEmpty();
    }

    @Test
    void shouldHoldEachChunkOnceWhenTheSameDocumentsArePublishedTwice() {
        Set<String> ids = new HashSet<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3; i++) {
                ids.add(publish("twice-" + i, text(i, 3)));
            }
        }
        assertQuietAndConsistent(ids);
    }

    @Test
    void checkerShouldNoticeAMissingAnExtraAndAStaleChunk() {
        Set<String> ids = Set.of(publish("checked", text(0, 2)));
        assertQuietAndConsistent(ids);
        var live = checker.liveChunks();
        var kept = live.get("checked#0");
        var stale = new io.faro.core.model.EmbeddedChunk(new io.faro.core.model.Chunk("checked#0", "checked",
                kept.chunk().docVersion() - 1, 0, "checked", "stale", Map.of()), kept.model(), kept.dimension(),
                kept.vector());
        var extra = new io.faro.core.model.EmbeddedChunk(new io.faro.core.model.Chunk("checked#99", "checked",
                kept.chunk().docVersion(), 99, "checked", "extra", Map.of()), kept.model(), kept.dimension(),
                kept.vector());
        try {
            qdrantView.delete(List.of("checked#0"));
            qdrantView.upsert(List.of(extra));

            List<String> problems = checker.differences(qdrantView, live, ids);

            assertThat(problems).anyMatch(p -> p.contains("misses [checked#0]"))
                    .anyMatch(p -> p.contains("has extra [checked#99]"));
            qdrantView.delete(List.of("checked#99"));
            qdrantView.upsert(List.of(stale));
            assertThat(checker.differences(qdrantView, live, ids)).anyMatch(p -> p.contains("is at versions"));
        } finally {
            qdrantView.delete(List.of("checked#99"));
            qdrantView.upsert(List.of(kept));
        }
        assertQuietAndConsistent(ids);
    }

    private static void assertQuietAndConsistent(Set<String> docIds) {
        assertThat(checker.awaitAgreement(List.of(pgvectorView, qdrantView), docIds, publisher::isSettled, QUIET))
                .as("differences between the embeddings topic and the stores").isEmpty();
    }

    private static String publish(String id, String text) {
        return publisher.publish(id, text);
    }

    private static void tombstone(String id) {
        publisher.tombstone(id);
    }

    private static String send(String key, byte[] value) {
        return publisher.send(key, value);
    }

    private static byte[] json(String id, String text) {
        return TrackedPublisher.json(id, text);
    }

    private static String text(int seed, int paragraphs) {
        return TrackedPublisher.text(seed, paragraphs);
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    private static List<String> deadLetterKeysSince(Map<TopicPartition, Long> start) {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(start.keySet());
            start.forEach(consumer::seek);
            Map<TopicPartition, Long> end = consumer.endOffsets(start.keySet());
            while (start.keySet().stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record ->
                        keys.add(new String(record.key(), StandardCharsets.UTF_8)));
            }
        }
        return keys;
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "faults-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
