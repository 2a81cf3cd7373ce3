package io.faro.topology.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.JsonSerde;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.topic.Topics;
import io.faro.s3.S3Clients;
import io.faro.s3.S3ContentFetcher;
import io.faro.s3.Sha256;
import io.faro.s3.testing.S3Fault;
import io.faro.s3.testing.TestS3;
import io.faro.topology.RecordingEmbedder;
import io.faro.topology.dlq.DeadLetters;
import io.faro.topology.runtime.Backpressure;
import io.faro.topology.fetch.Backoff;
import io.faro.topology.fetch.FetchPool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The claim-check stage of the ingest topology against an S3 protocol server (S3Proxy), fetched by the real AWS
 * SDK: documents published as {@code content_ref} are fetched, chunked and embedded; throttling and 5xx are
 * retried, never dead-lettered; a missing object is dead-lettered with the reason; versions keep their order.
 */
class ClaimCheckTopologyTest {

    private static final String BUCKET = "docs";
    private static final String PUMP = "# Pump\n\nThe pump moves water uphill when the valve is open.";

    private static TestS3 s3;
    private static S3Client client;

    @TempDir
    Path home;

    private final RecordingEmbedder embedder = new RecordingEmbedder();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private FetchPool pool;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> documents;
    private TestOutputTopic<String, Chunk> chunks;
    private TestOutputTopic<String, EmbeddedChunk> embeddings;
    private TestOutputTopic<byte[], byte[]> dlq;
    private final List<TestRecord<String, Chunk>> chunksSeen = new ArrayList<>();

    @BeforeAll
    static void startS3() {
        s3 = TestS3.start();
        s3.createBucket(BUCKET);
        // one attempt per call: every fault injected reaches the stage's own retries
        client = S3Clients.create(s3.settings(BUCKET, 2_000, 1), s3.credentials());
    }

    @AfterAll
    static void stopS3() {
        client.close();
        s3.close();
    }

    @AfterEach
    void tearDown() {
        s3.faults().clear();
        if (driver != null) {
            driver.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    private void start(boolean withS3) {
        FaroConfig config = FaroConfig.from(Env.of(Map.of(
                FaroConfig.HOME, home.toString(),
                FaroConfig.EMBED_BATCH_SIZE, "4",
                FaroConfig.EMBED_LINGER_MS, "50",
                FaroConfig.MAX_DOCUMENT_BYTES, "2048",
                FaroConfig.CHUNK_SIZE_TOKENS, "64",
                FaroConfig.CHUNK_OVERLAP_TOKENS, "0")));
        pool = withS3 ? new FetchPool(new S3ContentFetcher(client), 2, 1_048_576,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)), meters) : null;
        driver = new TopologyTestDriver(IngestTopology.build(config, embedder, new Backpressure(), meters, Optional.ofNullable(pool)),
                IngestTopology.streamsConfig(config));
        documents = driver.createInputTopic(Topics.DOCUMENTS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        chunks = driver.createOutputTopic(Topics.CHUNKS.name(), new StringDeserializer(),
                JsonSerde.of(Chunk.class).deserializer());
        embeddings = driver.createOutputTopic(Topics.EMBEDDINGS.name(), new StringDeserializer(),
                JsonSerde.of(EmbeddedChunk.class).deserializer());
        dlq = driver.createOutputTopic(Topics.DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void publish(String key, String json) {
        documents.pipeInput(key.getBytes(StandardCharsets.UTF_8),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private static String claimCheck(String id, String key, String sha256) {
        return "{\"id\":\"" + id + "\",\"title\":\"T " + id + "\",\"content_ref\":\"s3://" + BUCKET + "/" + key
                + "\",\"content_type\":\"text/markdown\"" + (sha256 == null ? "" : ",\"content_sha256\":\"" + sha256
                + "\"") + ",\"metadata\":{\"source\":\"s3\"}}";
    }

    private static String inline(String id, String text) {
        return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Lets wall-clock time pass (punctuations pass completed fetches on) until the condition holds. */
    private void advanceUntil(BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(20)).pollInSameThread().pollInterval(Duration.ofMillis(20)).until(() -> {
            driver.advanceWallClockTime(Duration.ofMillis(100));
            chunksSeen.addAll(chunks.readRecordsToList());
            return condition.getAsBoolean();
        });
    }

    private boolean chunked(String docId) {
        return chunksSeen.stream().anyMatch(r -> r.value() != null && r.value().docId().equals(docId));
    }

    private static String header(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldFetchAClaimCheckAndIngestItsBytes() {
        // given
        start(true);
        s3.put(BUCKET, "manuals/pump.md", utf8(PUMP));

        // when
        publish("pump", claimCheck("pump", "manuals/pump.md", Sha256.hex(utf8(PUMP))));
        advanceUntil(() -> chunked("pump"));

        // then
        Chunk chunk = chunksSeen.getFirst().value();
        assertThat(chunk.text()).contains("The pump moves water uphill");
        assertThat(chunk.title()).isEqualTo("T pump");
        assertThat(chunk.docVersion()).isZero();
        assertThat(chunk.metadata()).containsEntry("source", "s3");
        advanceUntil(() -> !embeddings.isEmpty());
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(meters.get(MetricNames.CLAIM_CHECKS_WAITING).gauge().value()).isZero();
    }

    @Test
    void shouldRetryThrottlingAndServerErrorsWithoutDeadLettering() {
        // given
        start(true);
        s3.put(BUCKET, "manuals/throttled.md", utf8(PUMP));
        s3.faults().inject(S3Fault.slowDown(), 3).inject(S3Fault.internalError(), 2);

        // when
        publish("throttled", claimCheck("throttled", "manuals/throttled.md", null));
        advanceUntil(() -> chunked("throttled"));

        // then
        assertThat(s3.faults().faulted()).isGreaterThanOrEqualTo(5);
        assertThat(s3.faults().pending()).isZero();
        assertThat(meters.get(MetricNames.CLAIM_CHECK_FETCH_RETRIES).counter().count()).isEqualTo(5);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterAMissingObjectWithTheReason() {
        // given
        start(true);
        String published = claimCheck("gone", "manuals/deleted.md", null);

        // when
        publish("gone", published);
        advanceUntil(() -> !dlq.isEmpty());

        // then
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(published);
        assertThat(header(dead.headers(), DeadLetters.STAGE)).isEqualTo(DeadLetters.STAGE_FETCH);
        assertThat(header(dead.headers(), DeadLetters.REASON)).contains("s3://docs/manuals/deleted.md")
                .contains("no such object");
        assertThat(header(dead.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(meters.get(MetricNames.DLQ_RECORDS).tag(MetricNames.TAG_STAGE, "fetch")
                .tag(MetricNames.TAG_REASON, "content_unavailable").counter().count()).isEqualTo(1);
        assertThat(chunksSeen).isEmpty();
    }

    @Test
    void shouldDeadLetterAFetchedDocumentAsItsClaimCheckWhenItsTextCannotBeExtracted() {
        // given: bytes that are not the PDF they claim to be
        start(true);
        s3.put(BUCKET, "broken.pdf", utf8("not a PDF at all"));
        String published = "{\"id\":\"broken\",\"content_ref\":\"s3://docs/broken.pdf\","
                + "\"content_type\":\"application/pdf\"}";

        // when
        publish("other", inline("other", "a document before it"));
        publish("broken", published);
        advanceUntil(() -> !dlq.isEmpty());

        // then: the extraction refused it, and the dead letter holds the claim check as published, and its own position
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(published);
        assertThat(header(dead.headers(), DeadLetters.STAGE)).isEqualTo(DeadLetters.STAGE_EXTRACT);
        assertThat(header(dead.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
    }

    @Test
    void shouldHoldLaterVersionsOfADocumentBehindItsFetchAndLetOthersPass() {
        // given: the fetch of version 0 is held by the S3 server
        start(true);
        s3.put(BUCKET, "manuals/slow.md", utf8("# Slow\n\nFetched text of the first version."));
        S3Fault.Gate gate = S3Fault.gate();
        s3.faults().inject(gate, 1);

        // when
        publish("slow", claimCheck("slow", "manuals/slow.md", null));          // offset 0, fetched
        publish("slow", inline("slow", "Inline text of the second version.")); // offset 1, must wait
        publish("fast", inline("fast", "Another document, not held up."));     // offset 2
        advanceUntil(() -> chunked("fast"));

        // then: the other document passed, the held one waits whole
        assertThat(chunked("slow")).isFalse();
        assertThat(meters.get(MetricNames.CLAIM_CHECKS_WAITING).gauge().value()).isEqualTo(2);

        // when
        gate.open();
        advanceUntil(() -> chunksSeen.stream().anyMatch(r -> r.value() != null && r.value().docVersion() == 1));

        // then: version 0 went first, version 1 replaced it, and nothing was dropped as stale
        assertThat(chunksSeen).filteredOn(r -> r.key().startsWith("slow#") && r.value() != null)
                .extracting(r -> r.value().docVersion()).containsExactly(0L, 1L);
        advanceUntil(() -> embeddings.readKeyValuesToMap().values().stream()
                .anyMatch(e -> e != null && e.chunk().docVersion() == 1));
        assertThat(meters.get(MetricNames.DOCUMENTS).tag(MetricNames.TAG_OUTCOME, "stale").counter().count())
                .isZero();
        assertThat(meters.get(MetricNames.CLAIM_CHECKS_WAITING).gauge().value()).isZero();
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldDeleteADocumentOnlyAfterTheFetchPublishedBeforeTheTombstone() {
        // given
        start(true);
        s3.put(BUCKET, "manuals/doomed.md", utf8("# Doomed\n\nSoon deleted."));
        S3Fault.Gate gate = S3Fault.gate();
        s3.faults().inject(gate, 1);

        // when
        publish("doomed", claimCheck("doomed", "manuals/doomed.md", null));
        publish("doomed", null);
        publish("fast", inline("fast", "Passes by."));
        advanceUntil(() -> chunked("fast"));
        gate.open();
        advanceUntil(() -> chunksSeen.stream().anyMatch(r -> r.key().startsWith("doomed#") && r.value() == null));

        // then: the chunk came, then went
        assertThat(chunksSeen).filteredOn(r -> r.key().startsWith("doomed#"))
                .extracting(r -> r.value() == null ? "deleted" : "chunked").containsExactly("chunked", "deleted");
    }

    @Test
    void shouldDeadLetterAClaimCheckSayingWhatToSetWhenS3IsNotConfigured() {
        // given
        start(false);

        // when
        publish("pump", claimCheck("pump", "manuals/pump.md", null));
        publish("text", inline("text", "Plain documents still flow."));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        // then
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(header(dead.headers(), DeadLetters.STAGE)).isEqualTo(DeadLetters.STAGE_FETCH);
        assertThat(header(dead.headers(), DeadLetters.REASON)).contains("FARO_S3_BUCKET").contains("s3://docs/manuals/pump.md");
        assertThat(meters.get(MetricNames.DLQ_RECORDS).tag(MetricNames.TAG_STAGE, "fetch")
                .tag(MetricNames.TAG_REASON, "no_s3").counter().count()).isEqualTo(1);
        assertThat(chunks.readRecordsToList()).extracting(r -> r.value().docId()).containsExactly("text");
    }

    @Test
    void shouldDeadLetterAMalformedClaimCheckAsAContractError() {
        // given
        start(true);

        // when
        publish("bad", "{\"id\":\"bad\",\"content_ref\":\"https://example.com/a.pdf\"}");
        driver.advanceWallClockTime(Duration.ofMillis(100));

        // then
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(header(dead.headers(), DeadLetters.STAGE)).isEqualTo(DeadLetters.STAGE_FETCH);
        assertThat(header(dead.headers(), DeadLetters.REASON)).contains("s3://bucket/key");
    }

    @Test
    void shouldNotLetAProducerForgeTheVersionHeaders() {
        // given: a record replayed from the dead-letter topic still carries its old position
        start(true);
        documents.pipeInput(new TestRecord<>(utf8("replayed"), utf8(inline("replayed", "Fixed and published again.")),
                new org.apache.kafka.common.header.internals.RecordHeaders()
                        .add(DeadLetters.SOURCE_OFFSET, utf8("999"))
                        .add(DeadLetters.SOURCE_PARTITION, utf8("0"))
                        .add(DeadLetters.SOURCE_TOPIC, utf8(Topics.DOCUMENTS.name()))));

        // when
        advanceUntil(() -> chunked("replayed"));

        // then: its version is its offset now
        assertThat(chunksSeen.getFirst().value().docVersion()).isZero();
    }
}
