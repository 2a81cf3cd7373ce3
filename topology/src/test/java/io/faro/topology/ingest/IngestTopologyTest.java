package io.faro.topology.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.JsonSerde;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.topic.Topics;
import io.faro.topology.RecordingEmbedder;
import io.faro.documents.samples.SampleFiles;
import io.faro.topology.dlq.DeadLetters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTopologyTest {

    @TempDir
    Path home;

    private final RecordingEmbedder embedder = new RecordingEmbedder();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> documents;
    private TestOutputTopic<String, Chunk> chunks;
    private TestOutputTopic<String, EmbeddedChunk> embeddings;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void setUp() {
        FaroConfig config = FaroConfig.from(Env.of(Map.of(
                FaroConfig.HOME, home.toString(),
                FaroConfig.EMBED_BATCH_SIZE, "4",
                FaroConfig.EMBED_LINGER_MS, "50",
                FaroConfig.MAX_DOCUMENT_BYTES, "65536",
                FaroConfig.CHUNK_SIZE_TOKENS, "16",
                FaroConfig.CHUNK_OVERLAP_TOKENS, "0")));
        driver = new TopologyTestDriver(IngestTopology.build(config, embedder, meters),
                IngestTopology.streamsConfig(config));
        documents = driver.createInputTopic(Topics.DOCUMENTS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        chunks = driver.createOutputTopic(Topics.CHUNKS.name(), new StringDeserializer(),
                JsonSerde.of(Chunk.class).deserializer());
        embeddings = driver.createOutputTopic(Topics.EMBEDDINGS.name(), new StringDeserializer(),
                JsonSerde.of(EmbeddedChunk.class).deserializer());
        dlq = driver.createOutputTopic(Topics.DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void publish(String key, String json) {
        documents.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }

    private static String doc(String id, String text) {
        return "{\"id\":\"" + id + "\",\"title\":\"T " + id + "\",\"text\":\"" + text + "\",\"metadata\":{\"lang\":\"en\"}}";
    }

    @Test
    void shouldTurnDocumentIntoKeyedChunksAndEmbeddingsNamingTheModel() {
        publish("doc-1", doc("doc-1", "Kafka keeps records in partitions."));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<TestRecord<String, Chunk>> chunkRecords = chunks.readRecordsToList();
        assertThat(chunkRecords).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("doc-1#0");
            assertThat(r.value().docId()).isEqualTo("doc-1");
            assertThat(r.value().title()).isEqualTo("T doc-1");
            assertThat(r.value().metadata()).containsEntry("lang", "en");
        });
        List<TestRecord<String, EmbeddedChunk>> embedded = embeddings.readRecordsToList();
        assertThat(embedded).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("doc-1#0");
            assertThat(r.value().model()).isEqualTo("test-model");
            assertThat(r.value().dimension()).isEqualTo(RecordingEmbedder.DIMENSION);
            assertThat(r.value().vector()).hasSize(RecordingEmbedder.DIMENSION);
            assertThat(r.value().chunk().text()).isEqualTo("Kafka keeps records in partitions.");
        });
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldStampChunksWithTheOffsetOfTheirDocumentAsVersion() {
        publish("other", doc("other", "first record"));
        publish("doc-1", doc("doc-1", "version one"));
        publish("doc-1", doc("doc-1", "version two"));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(chunks.readRecordsToList()).extracting(r -> r.value().docId() + "@" + r.value().docVersion())
                .containsExactly("other@0", "doc-1@1", "doc-1@2");
        assertThat(embeddings.readKeyValuesToMap().get("doc-1#0").chunk().docVersion()).isEqualTo(2);
    }

    /** Three paragraphs, each its own chunk under the 16-token budget. */
    private static String threeParagraphs(String last) {
        return "Kafka keeps records in partitions replicated across brokers.\\n\\n"
                + "Postgres keeps rows in tables with indexes and transactions.\\n\\n" + last;
    }

    @Test
    void shouldDeleteChunksThatANewVersionNoLongerHas() {
        publish("doc", doc("doc", threeParagraphs("Qdrant keeps points in collections behind aliases.")));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        assertThat(embeddings.readKeyValuesToMap()).containsOnlyKeys("doc#0", "doc#1", "doc#2");
        chunks.readRecordsToList();

        publish("doc", doc("doc", "Kafka keeps records in partitions replicated across brokers."));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        Map<String, EmbeddedChunk> latest = embeddings.readKeyValuesToMap();
        assertThat(latest).containsOnlyKeys("doc#0", "doc#1", "doc#2");
        assertThat(latest.get("doc#0")).isNotNull();
        assertThat(latest.get("doc#1")).isNull();
        assertThat(latest.get("doc#2")).isNull();
        assertThat(chunks.readKeyValuesToMap()).containsEntry("doc#1", null).containsEntry("doc#2", null);
    }

    @Test
    void shouldDeleteEveryChunkOnTombstone() {
        publish("doc", doc("doc", threeParagraphs("Qdrant keeps points in collections behind aliases.")));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        embeddings.readRecordsToList();

        documents.pipeInput("doc".getBytes(StandardCharsets.UTF_8), (byte[]) null);
        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<TestRecord<String, EmbeddedChunk>> deletes = embeddings.readRecordsToList();
        assertThat(deletes).extracting(TestRecord::key).containsExactlyInAnyOrder("doc#0", "doc#1", "doc#2");
        assertThat(deletes).allSatisfy(r -> assertThat(r.value()).isNull());
    }

    @Test
    void shouldNotEmbedUnchangedChunksAgain() {
        publish("doc", doc("doc", threeParagraphs("Qdrant keeps points in collections behind aliases.")));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        embeddings.readRecordsToList();
        int embeddedBefore = embedder.batchSizes.stream().mapToInt(Integer::intValue).sum();

        // only the last paragraph changes
        publish("doc", doc("doc", threeParagraphs("Qdrant keeps many points in collections behind aliases.")));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(embedder.batchSizes.stream().mapToInt(Integer::intValue).sum() - embeddedBefore).isEqualTo(1);
        Map<String, EmbeddedChunk> latest = embeddings.readKeyValuesToMap();
        assertThat(latest).containsOnlyKeys("doc#0", "doc#1", "doc#2");
        assertThat(latest.values()).allSatisfy(e -> assertThat(e.chunk().docVersion()).isEqualTo(1));
        assertThat(latest.get("doc#2").chunk().text()).isEqualTo("Qdrant keeps many points in collections behind aliases.");
        assertThat(meters.get("faro_embeddings_reused").counter().count()).isEqualTo(2);
    }

    @Test
    void shouldOnlyDeleteAChunkDeletedBeforeItWasEmbedded() {
        publish("doc", doc("doc", "short lived"));
        documents.pipeInput("doc".getBytes(StandardCharsets.UTF_8), (byte[]) null);
        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<TestRecord<String, EmbeddedChunk>> out = embeddings.readRecordsToList();
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("doc#0");
            assertThat(r.value()).isNull();
        });
        assertThat(embedder.batchSizes).isEmpty();
    }

    @Test
    void shouldEmbedWaitingChunksInBatchesNotOneByOne() {
        for (int i = 0; i < 5; i++) {
            publish("d" + i, doc("d" + i, "text " + i));
        }
        // a full batch of 4 is embedded at once; the fifth waits for the linger time
        assertThat(embedder.batchSizes).containsExactly(4);
        assertThat(embeddings.getQueueSize()).isEqualTo(4);

        driver.advanceWallClockTime(Duration.ofMillis(60));

        assertThat(embedder.batchSizes).containsExactly(4, 1);
        assertThat(embeddings.readKeyValuesToMap()).containsOnlyKeys("d0#0", "d1#0", "d2#0", "d3#0", "d4#0");
    }

    @Test
    void shouldLetAPartialBatchWaitItsWholeLingerTimeEvenWhenAPunctuationFallsDueEarlier() {
        for (int i = 0; i < 4; i++) {
            publish("d" + i, doc("d" + i, "text " + i));
        }
        driver.advanceWallClockTime(Duration.ofMillis(40));
        publish("late", doc("late", "late text")); // comes 10 ms before the next punctuation

        driver.advanceWallClockTime(Duration.ofMillis(20));

        // the punctuation at 50 ms found it waiting 10 ms: not yet sent to the model alone
        assertThat(embedder.batchSizes).containsExactly(4);

        driver.advanceWallClockTime(Duration.ofMillis(50));

        assertThat(embedder.batchSizes).containsExactly(4, 1);
        assertThat(embeddings.readKeyValuesToMap()).containsKey("late#0");
    }

    @Test
    void shouldSendMalformedDocumentToDlqWithReasonAndGoOn() {
        publish("bad", "{not json");
        publish("good", doc("good", "fine text"));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("bad");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        Headers headers = dead.headers();
        assertThat(header(headers, DeadLetters.STAGE)).isEqualTo("parse");
        assertThat(header(headers, DeadLetters.REASON)).contains("not valid JSON");
        assertThat(header(headers, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.DOCUMENTS.name());
        assertThat(header(headers, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(dlq.isEmpty()).isTrue();
        assertThat(embeddings.readKeyValuesToMap()).containsOnlyKeys("good#0");
    }

    @Test
    void shouldDeadLetterContractViolations() {
        publish("other-id", doc("doc-x", "text"));
        publish("empty", doc("empty", " "));
        publish("big", doc("big", "x".repeat(70_000)));

        assertThat(dlq.readRecordsToList()).extracting(r -> header(r.headers(), DeadLetters.REASON))
                .satisfiesExactly(
                        reason -> assertThat(reason).contains("differs from the document id"),
                        reason -> assertThat(reason).contains("'text' is empty"),
                        reason -> assertThat(reason).contains("FARO_MAX_DOCUMENT_BYTES"));
        assertThat(chunks.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterOnlyTheChunkTheModelRefuses() {
        embedder.refuse(text -> text.contains("poison"));
        publish("a", doc("a", "healthy text"));
        publish("b", doc("b", "poison text"));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(embeddings.readKeyValuesToMap()).containsOnlyKeys("a#0");
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("b#0");
        assertThat(header(dead.headers(), DeadLetters.STAGE)).isEqualTo("embed");
    }

    @Test
    void shouldAcceptDocumentWithoutTitle() {
        publish("n", "{\"id\":\"n\",\"text\":\"no title here\"}");
        driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(chunks.readRecord().value().title()).isEqualTo("n");
        assertThat(embeddings.readKeyValuesToMap()).containsOnlyKeys("n#0");
    }

    @Test
    void shouldDeadLetterEveryVersionOfADocumentPublishedWithoutAKey() {
        // found by an outside probe: six keyless versions left version 5 stored, not 6, for their order was lost
        for (int version = 1; version <= 6; version++) {
            publish(null, "{\"id\":\"n\",\"text\":\"version " + version + "\"}");
        }
        driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(chunks.isEmpty()).isTrue();
        assertThat(embeddings.isEmpty()).isTrue();
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(6).allSatisfy(record -> {
            assertThat(header(record.headers(), DeadLetters.REASON)).contains("the record has no key");
            assertThat(header(record.headers(), DeadLetters.STAGE)).isEqualTo(DeadLetters.STAGE_PARSE);
        });
    }

    @Test
    void shouldStampEmbeddingsWithTheirDocumentsPublicationTimeNotTheEmbeddingTime() {
        // given a document published long before the embedder gets to it
        Instant published = Instant.parse("2026-01-01T10:00:00Z");
        documents.pipeInput("doc".getBytes(StandardCharsets.UTF_8),
                doc("doc", threeParagraphs("Qdrant keeps points in collections behind aliases.")).getBytes(StandardCharsets.UTF_8),
                published);
        driver.advanceWallClockTime(Duration.ofMillis(100));
        assertThat(embeddings.readRecordsToList()).hasSize(3)
                .allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(published.toEpochMilli()));

        // when a shorter version follows: two chunks are reused, one is deleted
        Instant republished = published.plusSeconds(60);
        documents.pipeInput("doc".getBytes(StandardCharsets.UTF_8),
                doc("doc", "Kafka keeps records in partitions replicated across brokers.").getBytes(StandardCharsets.UTF_8),
                republished);
        driver.advanceWallClockTime(Duration.ofMillis(100));

        // then every record, reused vectors and deletions too, carries the new version's time
        assertThat(embeddings.readRecordsToList()).extracting(TestRecord::key, TestRecord::timestamp)
                .containsExactlyInAnyOrder(tuple("doc#0", republished.toEpochMilli()),
                        tuple("doc#1", republished.toEpochMilli()), tuple("doc#2", republished.toEpochMilli()));
    }

    @Test
    void shouldCountEmbeddingsAndDeadLettersByStageAndReason() {
        publish("bad", "{not json");
        publish("other-id", doc("doc-x", "text"));
        publish("big", doc("big", "x".repeat(70_000)));
        embedder.refuse(text -> text.contains("poison"));
        publish("p", doc("p", "poison text"));
        publish("a", doc("a", "healthy text"));
        publish("b", doc("b", "more healthy text"));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(meters.get("faro_embeddings").counter().count()).isEqualTo(2);
        assertThat(deadLetters("parse", "invalid_json")).isEqualTo(1);
        assertThat(deadLetters("parse", "contract")).isEqualTo(1);
        assertThat(deadLetters("parse", "too_large")).isEqualTo(1);
        assertThat(deadLetters("embed", "model_refused")).isEqualTo(1);
        // a reason that never happened is there, at zero, for dashboards
        assertThat(deadLetters("split", "unsplittable")).isZero();
    }

    private void publishFile(String id, byte[] bytes, String contentType) {
        String json = "{\"id\":\"" + id + "\",\"content_base64\":\"" + java.util.Base64.getEncoder().encodeToString(bytes)
                + "\",\"content_type\":\"" + contentType + "\",\"metadata\":{\"lang\":\"en\"}}";
        documents.pipeInput(id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldTurnAPdfIntoChunksThatSayTheirPage() {
        byte[] pdf = SampleFiles.pdf("Harbours shelter ships from storms behind a breakwater.",
                "Lighthouses warn ships of rocks with a bright lamp at night.");

        publishFile("guide.pdf", pdf, SampleFiles.PDF);
        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<Chunk> out = chunks.readValuesToList();
        assertThat(out).extracting(c -> c.metadata().get("page")).containsExactly(1, 2);
        assertThat(out.get(1).text()).isEqualTo("Lighthouses warn ships of rocks with a bright lamp at night.");
        assertThat(out).allSatisfy(c -> assertThat(c.metadata()).containsEntry("lang", "en"));
        assertThat(embeddings.readKeyValuesToMap()).containsOnlyKeys("guide.pdf#0", "guide.pdf#1");
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterFilesThatYieldNoTextWithTheReasonAndGoOn() {
        publishFile("secret.pdf", SampleFiles.encryptedPdf("plans"), SampleFiles.PDF);
        publishFile("cut.docx", SampleFiles.truncated(SampleFiles.docx("# Setup", "Text."), 0.5), SampleFiles.DOCX);
        publishFile("photo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png");
        publishFile("blank.pdf", SampleFiles.pdf(""), SampleFiles.PDF);
        publishFile("fine.pdf", SampleFiles.pdf("Still processed after the bad ones."), SampleFiles.PDF);
        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("secret.pdf", "cut.docx", "photo.png", "blank.pdf");
        assertThat(dead).allSatisfy(r -> assertThat(header(r.headers(), DeadLetters.STAGE)).isEqualTo("extract"));
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetters.REASON)).satisfiesExactly(
                reason -> assertThat(reason).contains("encrypted"),
                reason -> assertThat(reason).contains("cannot be read"),
                reason -> assertThat(reason).contains("'image/png' is not one FARO extracts"),
                reason -> assertThat(reason).contains("holds no text"));
        assertThat(embeddings.readKeyValuesToMap()).containsOnlyKeys("fine.pdf#0");
        assertThat(deadLetters("extract", "encrypted")).isEqualTo(1);
        assertThat(deadLetters("extract", "corrupt")).isEqualTo(1);
        assertThat(deadLetters("extract", "unsupported_type")).isEqualTo(1);
        assertThat(deadLetters("extract", "no_text")).isEqualTo(1);
        assertThat(deadLetters("extract", "parse_timeout")).isZero();
    }

    @Test
    void shouldGiveTheTransactionRoomForTheLongestParse() {
        FaroConfig config = FaroConfig.from(Env.of(Map.of(FaroConfig.PARSE_TIMEOUT_MS, "90000")));

        var props = IngestTopology.streamsConfig(config);

        assertThat((Integer) props.get(org.apache.kafka.streams.StreamsConfig.producerPrefix("transaction.timeout.ms")))
                .isGreaterThan(90_000);
    }

    private double deadLetters(String stage, String reason) {
        return meters.get("faro_dlq_records").tag("stage", stage).tag("reason", reason).counter().count();
    }

    private static String header(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldLetTheProducerSendADeadLetterAsLargeAsTheLargestDocument() {
        // given documents of up to 8 MiB, far over the producer's default 1 MiB
        int maxDocumentBytes = 8 * 1024 * 1024;
        FaroConfig config = FaroConfig.from(Env.of(Map.of(FaroConfig.MAX_DOCUMENT_BYTES, Integer.toString(maxDocumentBytes))));

        // when
        var props = IngestTopology.streamsConfig(config);

        // then
        assertThat((Integer) props.get(org.apache.kafka.streams.StreamsConfig.producerPrefix("max.request.size")))
                .isGreaterThanOrEqualTo(Topics.documentRecordBytes(maxDocumentBytes));
    }

    private static String tenantDoc(String tenant, String id, String acl, String text) {
        return "{\"id\":\"" + id + "\",\"tenant\":\"" + tenant + "\",\"acl\":" + acl + ",\"text\":\"" + text + "\"}";
    }

    @Test
    void shouldKeepTheSameIdInTwoTenantsAsTwoDocuments() {
        publish("plan", doc("plan", "the default tenant's plan"));
        publish("acme\u001Fplan", tenantDoc("acme", "plan", "[]", "acme's plan"));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        Map<String, EmbeddedChunk> both = embeddings.readKeyValuesToMap();
        assertThat(both).containsOnlyKeys("plan#0", "acme\u001Fplan#0");
        assertThat(both.get("acme\u001Fplan#0").chunk().tenant()).isEqualTo("acme");
        assertThat(both.get("plan#0").chunk().tenant()).isEqualTo("default");

        // acme's tombstone, then acme's older text again: neither touches the default tenant's document
        documents.pipeInput("acme\u001Fplan".getBytes(StandardCharsets.UTF_8), (byte[]) null);
        driver.advanceWallClockTime(Duration.ofMillis(100));

        List<TestRecord<String, EmbeddedChunk>> after = embeddings.readRecordsToList();
        assertThat(after).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("acme\u001Fplan#0");
            assertThat(r.value()).isNull();
        });
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldWriteAChangedAclWithoutEmbeddingAgain() {
        publish("acme\u001Fmemo", tenantDoc("acme", "memo", "[\"board\"]", threeParagraphs("Qdrant keeps points.")));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        embeddings.readRecordsToList();
        int embeddedBefore = embedder.batchSizes.stream().mapToInt(Integer::intValue).sum();

        publish("acme\u001Fmemo", tenantDoc("acme", "memo", "[\"board\",\"eng\"]",
                threeParagraphs("Qdrant keeps points.")));
        driver.advanceWallClockTime(Duration.ofMillis(100));

        assertThat(embedder.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(embeddedBefore);
        Map<String, EmbeddedChunk> latest = embeddings.readKeyValuesToMap();
        assertThat(latest).hasSize(3);
        assertThat(latest.values()).allSatisfy(e -> {
            assertThat(e.chunk().acl()).containsExactly("board", "eng");
            assertThat(e.chunk().docVersion()).isEqualTo(1);
        });
        assertThat(meters.get("faro_embeddings_reused").counter().count()).isEqualTo(3);
    }

    @Test
    void shouldDeadLetterATenantsDocumentKeyedByItsBareIdAndATombstoneWithABadKey() {
        publish("memo", tenantDoc("acme", "memo", "[]", "text"));
        documents.pipeInput("Bad Tenant\u001Fmemo".getBytes(StandardCharsets.UTF_8), (byte[]) null);

        assertThat(dlq.readRecordsToList()).extracting(r -> header(r.headers(), DeadLetters.REASON))
                .satisfiesExactly(
                        reason -> assertThat(reason).contains("in tenant 'acme'"),
                        reason -> assertThat(reason).contains("a tenant is 1 to 63"));
        assertThat(chunks.isEmpty()).isTrue();
    }
}
