package io.faro.connectors.restore;

import static io.faro.connectors.testing.Chunks.chunk;
import static io.faro.connectors.testing.Chunks.json;
import static io.faro.connectors.testing.Chunks.record;
import static io.faro.connectors.testing.Chunks.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.connectors.archive.ArchiveLayout;
import io.faro.connectors.archive.ChunkArchive;
import io.faro.connectors.testing.TestKafka;
import io.faro.core.config.S3Location;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.model.Chunk;
import io.faro.core.topic.Topics;
import io.faro.s3.S3Clients;
import io.faro.s3.testing.S3Fault;
import io.faro.s3.testing.TestS3;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code faro restore} after a lost cluster: the embedded KRaft broker, S3Proxy, the real AWS SDK. */
class ChunkRestoreIT {

    private static final String BUCKET = "faro-dr";

    private static TestKafka kafka;
    private static TestS3 s3;
    private static S3Client client;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        kafka.ensureTopics(Topics.ALL);
        s3 = TestS3.start();
        s3.createBucket(BUCKET);
        // three attempts a call: the SDK's own retries carry a restore over throttling and 5xx
        client = S3Clients.create(s3.settings(BUCKET, 5_000, 3), s3.credentials());
    }

    @AfterAll
    static void stop() {
        client.close();
        s3.close();
        kafka.close();
    }

    /** What a compacted topic holds: the latest value of every key, tombstones removing it. */
    private static Map<String, String> live(String topic) {
        Map<String, String> live = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : kafka.records(topic)) {
            if (record.value() == null) {
                live.remove(record.key());
            } else {
                live.put(record.key(), new String(record.value(), StandardCharsets.UTF_8));
            }
        }
        return live;
    }

    private static ChunkRestore restore(S3Location archive, List<ChunkRestore.Progress> progress) {
        return new ChunkRestore(kafka.settings(), client, archive, 4, progress::add, reading -> { });
    }

    @Test
    void shouldGiveBackTheSameLiveChunksAfterTheTopicsWereDeletedAndWriteNothingTheSecondTime() {
        // given: an archive kept while documents came, changed and went
        S3Location archive = new S3Location(BUCKET, "dr");
        String pump = "manuals/pump.pdf";
        List<java.util.Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(record(chunk("notes/" + i, i, 0, "note " + i)));
        }
        records.add(record(chunk(pump, 50, 0, "old text")));
        records.add(record(chunk(pump, 50, 1, "old text, second chunk")));
        records.add(record(chunk("gone", 51, 0, "deleted later")));
        records.add(record(chunk(pump, 60, 0, "new text")));
        records.add(tombstone(Chunk.idOf(pump, 1)));
        records.add(tombstone(Chunk.idOf("gone", 0)));
        try (ChunkArchive running = ChunkArchive.start(kafka.settings(), client, archive, 4, new SimpleMeterRegistry())) {
            kafka.send(Topics.CHUNKS.name(), records);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    kafka.committed(KafkaIds.CHUNK_ARCHIVE_GROUP, Topics.CHUNKS.name())
                            == kafka.endOffsets(Topics.CHUNKS.name()));
        }
        Map<String, String> before = live(Topics.CHUNKS.name());
        assertThat(before).hasSize(41);

        // when: the cluster is lost (its topics with it), comes back empty, and S3 throttles the restore
        List<String> names = Topics.ALL.stream().map(Topics.TopicSpec::name).toList();
        kafka.deleteTopics(names);
        kafka.ensureTopics(Topics.ALL);
        s3.faults().inject(S3Fault.slowDown(), 2).inject(S3Fault.internalError(), 2);
        List<ChunkRestore.Progress> progress = new ArrayList<>();
        ChunkRestore.Progress result = restore(archive, progress).restore();

        // then
        assertThat(live(Topics.CHUNKS.name())).isEqualTo(before);
        assertThat(result.written()).isEqualTo(41);
        assertThat(result.objects()).isEqualTo(41);
        assertThat(progress).last().satisfies(last -> assertThat(last.done()).isTrue());
        assertThat(s3.faults().pending()).isZero();

        // when: it runs again
        long end = kafka.endOffsets(Topics.CHUNKS.name());
        ChunkRestore.Progress again = restore(archive, new ArrayList<>()).restore();

        // then: nothing is written, the topic is as it was
        assertThat(again.written()).isZero();
        assertThat(again.present()).isEqualTo(41);
        assertThat(kafka.endOffsets(Topics.CHUNKS.name())).isEqualTo(end);
        assertThat(live(Topics.CHUNKS.name())).isEqualTo(before);
    }

    @Test
    void shouldRestoreOnlyTheLatestVersionOfADocumentAndSkipWhatIsNoChunk() {
        // given: an archive whose folder of a document still holds a chunk of an older version (its tombstone was
        // compacted away before the archive read it), and an object that is no chunk
        S3Location archive = new S3Location(BUCKET, "versions");
        ArchiveLayout layout = new ArchiveLayout(archive);
        Chunk current0 = chunk("report", 9, 0, "current first");
        Chunk current1 = chunk("report", 9, 1, "current second");
        Chunk leftover = chunk("report", 4, 2, "older third");
        for (Chunk chunk : List.of(current0, current1, leftover)) {
            s3.put(BUCKET, layout.objectKey(chunk.chunkId()), json(chunk));
        }
        s3.put(BUCKET, "versions/junk/0.json", "not a chunk".getBytes(StandardCharsets.UTF_8));

        // when
        ChunkRestore.Progress result = restore(archive, new ArrayList<>()).restore();

        // then
        assertThat(result.written()).isEqualTo(2);
        assertThat(result.stale()).isEqualTo(1);
        assertThat(result.skipped()).isEqualTo(1);
        Map<String, String> live = live(Topics.CHUNKS.name());
        assertThat(live).containsEntry(current0.chunkId(), new String(json(current0), StandardCharsets.UTF_8))
                .containsEntry(current1.chunkId(), new String(json(current1), StandardCharsets.UTF_8))
                .doesNotContainKey(leftover.chunkId());
    }
}
