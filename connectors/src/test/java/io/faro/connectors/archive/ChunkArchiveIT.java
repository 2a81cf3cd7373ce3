package io.faro.connectors.archive;

import static io.faro.connectors.testing.Chunks.chunk;
import static io.faro.connectors.testing.Chunks.json;
import static io.faro.connectors.testing.Chunks.record;
import static io.faro.connectors.testing.Chunks.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.connectors.testing.TestKafka;
import io.faro.core.config.S3Location;
import io.faro.core.dlq.DeadLetterHeaders;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.model.Chunk;
import io.faro.core.topic.Topics;
import io.faro.s3.S3Clients;
import io.faro.s3.testing.S3Fault;
import io.faro.s3.testing.TestS3;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The chunk archive against spring-kafka-test's embedded KRaft broker and S3Proxy behind a fault-injecting proxy,
 * spoken to by the real AWS SDK with one attempt per call, so that every injected fault reaches the archive's own
 * retries.
 */
class ChunkArchiveIT {

    private static final String BUCKET = "faro-archive";

    private static TestKafka kafka;
    private static TestS3 s3;
    private static S3Client oneAttempt;

    private ChunkArchive archive;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        kafka.ensureTopics(Topics.ALL);
        s3 = TestS3.start();
        s3.createBucket(BUCKET);
        oneAttempt = S3Clients.create(s3.settings(BUCKET, 5_000, 1), s3.credentials());
    }

    @AfterAll
    static void stop() {
        oneAttempt.close();
        s3.close();
        kafka.close();
    }

    @AfterEach
    void stopArchive() {
        s3.faults().clear();
        if (archive != null) {
            archive.close();
        }
    }

    private ArchiveLayout startArchive(String prefix) {
        S3Location location = new S3Location(BUCKET, prefix);
        archive = ChunkArchive.start(kafka.settings(), oneAttempt, location, 4, new SimpleMeterRegistry());
        return new ArchiveLayout(location);
    }

    private static List<String> keys(String prefix) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static byte[] object(String key) {
        return s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    @Test
    void shouldKeepEveryLiveChunkAsJsonUnderItsDocumentsFolder() {
        // given
        ArchiveLayout layout = startArchive("layout");
        Chunk pump0 = chunk("manuals/pump.pdf", 7, 0, "The pump primes itself.");
        Chunk pump1 = chunk("manuals/pump.pdf", 7, 1, "Close the valve first.");
        Chunk guide = chunk("guide", 3, 0, "Welcome.");

        // when
        kafka.send(Topics.CHUNKS.name(), List.of(record(pump0), record(pump1), record(guide)));

        // then
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(keys("layout/"))
                .containsExactlyInAnyOrder("layout/manuals%2Fpump.pdf/0.json", "layout/manuals%2Fpump.pdf/1.json",
                        "layout/guide/0.json"));
        assertThat(object(layout.objectKey(pump1.chunkId()))).isEqualTo(json(pump1));
        assertThat(new String(object("layout/guide/0.json"), StandardCharsets.UTF_8)).contains("\"doc_version\":3");
    }

    @Test
    void shouldDeleteTheObjectsOfDeletedChunksAndOfADeletedDocument() {
        // given: a document of three chunks, and another
        startArchive("deletes");
        String doc = "handbook/on-call.md";
        kafka.send(Topics.CHUNKS.name(), List.of(record(chunk(doc, 1, 0, "a")), record(chunk(doc, 1, 1, "b")),
                record(chunk(doc, 1, 2, "c")), record(chunk("other", 1, 0, "d"))));
        await().atMost(Duration.ofSeconds(60)).until(() -> keys("deletes/").size() == 4);

        // when: the document shrinks to two chunks (the ingest deletes the third)
        kafka.send(Topics.CHUNKS.name(), List.of(tombstone(Chunk.idOf(doc, 2))));

        // then
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(keys("deletes/"))
                .containsExactlyInAnyOrder("deletes/handbook%2Fon-call.md/0.json",
                        "deletes/handbook%2Fon-call.md/1.json", "deletes/other/0.json"));

        // when: the document is deleted (a tombstone for each of its chunks)
        kafka.send(Topics.CHUNKS.name(), List.of(tombstone(Chunk.idOf(doc, 0)), tombstone(Chunk.idOf(doc, 1))));

        // then
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(keys("deletes/"))
                .containsExactly("deletes/other/0.json"));
    }

    @Test
    void shouldRetryThrottlingAndServerErrorsUntilS3HasTheWrites() {
        // given
        ArchiveLayout layout = startArchive("faults");
        Chunk chunk = chunk("throttled", 2, 0, "S3 said slow down.");
        int faultedBefore = s3.faults().faulted();
        s3.faults().inject(S3Fault.slowDown(), 3).inject(S3Fault.internalError(), 2);

        // when
        kafka.send(Topics.CHUNKS.name(), List.of(record(chunk)));

        // then: every fault was met, and the chunk is archived all the same
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(keys("faults/")).containsExactly(layout.objectKey(chunk.chunkId())));
        assertThat(s3.faults().faulted() - faultedBefore).isEqualTo(5);
        assertThat(object(layout.objectKey(chunk.chunkId()))).isEqualTo(json(chunk));
    }

    @Test
    void shouldCommitNoOffsetBeforeS3HasTheWrite() {
        // given: the archive is caught up, and S3 holds the next request
        startArchive("commits");
        kafka.send(Topics.CHUNKS.name(), List.of(record(chunk("warm-up", 1, 0, "x"))));
        await().atMost(Duration.ofSeconds(60)).until(() -> keys("commits/").size() == 1
                && kafka.committed(KafkaIds.CHUNK_ARCHIVE_GROUP, Topics.CHUNKS.name())
                == kafka.endOffsets(Topics.CHUNKS.name()));
        S3Fault.Gate gate = S3Fault.gate();
        int faultedBefore = s3.faults().faulted();
        s3.faults().inject(gate, 1);

        // when
        kafka.send(Topics.CHUNKS.name(), List.of(record(chunk("held", 1, 0, "y"))));
        long end = kafka.endOffsets(Topics.CHUNKS.name());

        // then: while S3 holds the write, the offset stays where it was
        await().atMost(Duration.ofSeconds(60)).until(() -> s3.faults().faulted() > faultedBefore);
        assertThat(kafka.committed(KafkaIds.CHUNK_ARCHIVE_GROUP, Topics.CHUNKS.name())).isLessThan(end);
        assertThat(keys("commits/")).hasSize(1);

        // when
        gate.open();

        // then
        await().atMost(Duration.ofSeconds(60)).until(() ->
                kafka.committed(KafkaIds.CHUNK_ARCHIVE_GROUP, Topics.CHUNKS.name()) == end);
        assertThat(keys("commits/")).contains("commits/held/0.json");
    }

    @Test
    void shouldDeadLetterARecordThatIsNoChunkAndArchiveTheNextOne() {
        // given
        startArchive("poison");
        long dlqBefore = kafka.endOffsets(Topics.DLQ.name());

        // when
        kafka.sendRaw(Topics.CHUNKS.name(), "broken#0".getBytes(StandardCharsets.UTF_8),
                "{not json".getBytes(StandardCharsets.UTF_8));
        kafka.send(Topics.CHUNKS.name(), List.of(record(chunk("after-poison", 1, 0, "fine"))));

        // then
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(keys("poison/")).containsExactly("poison/after-poison/0.json"));
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.endOffsets(Topics.DLQ.name()) > dlqBefore);
        ConsumerRecord<String, byte[]> dead = kafka.records(Topics.DLQ.name()).stream()
                .filter(r -> "broken#0".equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(header(dead, DeadLetterHeaders.STAGE)).hasValue(ChunkArchive.DLQ_STAGE);
        assertThat(header(dead, DeadLetterHeaders.REASON)).hasValueSatisfying(reason ->
                assertThat(reason).contains("broken#0 is not a chunk"));
        assertThat(header(dead, DeadLetterHeaders.SOURCE_TOPIC)).hasValue(Topics.CHUNKS.name());
        assertThat(keys("poison/")).doesNotContain("poison/broken/0.json");
    }

    private static Optional<String> header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return Optional.ofNullable(header).map(h -> new String(h.value(), StandardCharsets.UTF_8));
    }
}
