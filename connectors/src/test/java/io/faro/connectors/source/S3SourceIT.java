package io.faro.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.connectors.testing.TaggingS3;
import io.faro.connectors.testing.TestKafka;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.S3RetryMode;
import io.faro.core.config.FaroConfig.S3Settings;
import io.faro.core.config.S3Location;
import io.faro.core.json.Json;
import io.faro.core.metrics.MetricNames;
import io.faro.core.topic.Topics;
import io.faro.s3.S3Clients;
import io.faro.s3.testing.S3Fault;
import io.faro.s3.testing.TestS3;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.faro.core.kafka.KafkaIds;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The S3 bucket source against spring-kafka-test's embedded KRaft broker and S3Proxy (behind the fault proxy, with
 * object tagging in front: {@link TaggingS3}), spoken to by the real AWS SDK.
 */
class S3SourceIT {

    private static final String BUCKET = "docs";
    private static final Duration INTERVAL = Duration.ofMillis(200);

    private static TestKafka kafka;
    private static TestS3 s3;
    private static TaggingS3 tagging;
    private static S3Client tags;

    private final List<S3Source> sources = new ArrayList<>();
    private final List<S3Client> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        kafka.ensureTopics(Topics.S3_SOURCE);
        s3 = TestS3.start();
        s3.createBucket(BUCKET);
        tagging = TaggingS3.start(s3.endpoint());
        tags = S3Clients.create(settings(3), s3.credentials());
    }

    @AfterAll
    static void stop() {
        tags.close();
        tagging.close();
        s3.close();
        kafka.close();
    }

    @AfterEach
    void stopSources() {
        sources.forEach(S3Source::close);
        clients.forEach(S3Client::close);
        s3.faults().clear();
    }

    /** FARO's S3 settings, through the tagging server and the fault proxy to S3Proxy. */
    private static S3Settings settings(int maxAttempts) {
        return new S3Settings(BUCKET, Optional.of(TestS3.REGION), Optional.of(tagging.endpoint()), true, 5_000,
                maxAttempts, S3RetryMode.STANDARD, 4, FaroConfig.DEFAULT_S3_MAX_OBJECT_BYTES);
    }

    private S3Source source(String instance, MeterRegistry meters, String... prefixes) {
        S3Client client = S3Clients.create(settings(1), s3.credentials());
        clients.add(client);
        List<S3Location> locations = java.util.Arrays.stream(prefixes).map(p -> new S3Location(BUCKET, p)).toList();
        S3Source source = S3Source.start(kafka.settings(instance), client, locations, INTERVAL, meters);
        sources.add(source);
        return source;
    }

    private static void put(String key, String text, String contentType, Map<String, String> metadata) {
        s3.client().putObject(PutObjectRequest.builder().bucket(BUCKET).key(key).contentType(contentType)
                .metadata(metadata).build(), RequestBody.fromString(text));
    }

    private static void tag(String key, String name, String value) {
        tags.putObjectTagging(b -> b.bucket(BUCKET).key(key)
                .tagging(t -> t.tagSet(Tag.builder().key(name).value(value).build())));
    }

    /** The records of faro.documents of objects under {@code prefix}, by document id, in the order published. */
    private static Map<String, List<Optional<JsonNode>>> documents(String prefix) {
        Map<String, List<Optional<JsonNode>>> documents = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : kafka.records(Topics.DOCUMENTS.name())) {
            if (record.key().startsWith("s3://" + BUCKET + "/" + prefix)) {
                documents.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Optional.ofNullable(record.value())
                        .map(S3SourceIT::json));
            }
        }
        return documents;
    }

    private static JsonNode json(byte[] value) {
        try {
            return Json.mapper().readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long completeScans(MeterRegistry meters) {
        var timer = meters.find(MetricNames.S3_SOURCE_SCAN_SECONDS).tag(MetricNames.TAG_OUTCOME, "complete").timer();
        return timer == null ? 0 : timer.count();
    }

    /** Two scans more than now: everything the source would publish of what it sees now is published. */
    private static void awaitTwoMoreScans(MeterRegistry meters) {
        long now = completeScans(meters);
        await().atMost(Duration.ofSeconds(30)).until(() -> completeScans(meters) >= now + 2);
    }

    @Test
    void shouldPublishCreatesUpdatesAndDeletesExactlyOnceAcrossARestart() {
        // given: three objects under the watched prefix, one outside it
        put("inbox/a.pdf", "%PDF-1.4 pump manual", "application/pdf", Map.of("team", "finance"));
        tag("inbox/a.pdf", "tenant", "acme");
        put("inbox/b.txt", "first text", "text/plain", Map.of());
        put("inbox/c.md", "# Notes", "text/markdown", Map.of());
        put("elsewhere/x.txt", "not watched", "text/plain", Map.of());
        MeterRegistry meters = new SimpleMeterRegistry();
        S3Source first = source("one", meters, "inbox/");

        // when / then: each object is published once
        await().atMost(Duration.ofSeconds(60)).until(() -> documents("inbox/").size() == 3);
        awaitTwoMoreScans(meters);
        assertThat(documents("inbox/")).allSatisfy((id, records) -> assertThat(records).hasSize(1));

        // when: the source stops, objects change while it is away, and it starts again
        first.close();
        sources.remove(first);
        put("inbox/b.txt", "second text, longer", "text/plain", Map.of());
        s3.delete(BUCKET, "inbox/c.md");
        put("inbox/d.html", "<h1>New</h1>", "text/html", Map.of());
        MeterRegistry again = new SimpleMeterRegistry();
        source("one", again, "inbox/");

        // then: each change is published once, nothing twice, nothing missed
        await().atMost(Duration.ofSeconds(60)).until(() -> documents("inbox/").values().stream()
                .mapToInt(List::size).sum() == 6);
        awaitTwoMoreScans(again);
        Map<String, List<Optional<JsonNode>>> documents = documents("inbox/");
        assertThat(documents.keySet()).containsExactlyInAnyOrder("s3://docs/inbox/a.pdf", "s3://docs/inbox/b.txt",
                "s3://docs/inbox/c.md", "s3://docs/inbox/d.html");
        assertThat(documents.get("s3://docs/inbox/a.pdf")).hasSize(1);
        assertThat(documents.get("s3://docs/inbox/b.txt")).hasSize(2).last().satisfies(b ->
                assertThat(b.orElseThrow().at("/metadata/s3_size").asLong()).isEqualTo("second text, longer".length()));
        assertThat(documents.get("s3://docs/inbox/c.md")).hasSize(2).last().isEqualTo(Optional.empty());
        assertThat(documents.get("s3://docs/inbox/d.html")).hasSize(1);
        assertThat(documents("elsewhere/")).isEmpty();
        assertThat(again.find(MetricNames.S3_SOURCE_CHANGES).tag(MetricNames.TAG_CHANGE, "deleted").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldPublishAClaimCheckWithTheObjectsMetadataAndTags() {
        // given
        put("meta/q3 report.pdf", "%PDF-1.4 quarterly", "application/pdf", Map.of("team", "finance", "lang", "en"));
        tag("meta/q3 report.pdf", "tenant", "acme");
        put("meta/raw.bin", "bytes", "binary/octet-stream", Map.of());
        source("one", new SimpleMeterRegistry(), "meta/");

        // when
        await().atMost(Duration.ofSeconds(60)).until(() -> documents("meta/").size() == 2);

        // then
        JsonNode report = documents("meta/").get("s3://docs/meta/q3 report.pdf").getFirst().orElseThrow();
        assertThat(report.path("id").asText()).isEqualTo("s3://docs/meta/q3 report.pdf");
        assertThat(report.path("title").asText()).isEqualTo("q3 report.pdf");
        assertThat(report.path("content_ref").asText()).isEqualTo("s3://docs/meta/q3 report.pdf");
        assertThat(report.path("content_type").asText()).isEqualTo("application/pdf");
        assertThat(report.has("text")).isFalse();
        JsonNode metadata = report.path("metadata");
        assertThat(metadata.path("team").asText()).isEqualTo("finance");
        assertThat(metadata.path("lang").asText()).isEqualTo("en");
        assertThat(metadata.path("tenant").asText()).isEqualTo("acme");
        assertThat(metadata.path("s3_bucket").asText()).isEqualTo(BUCKET);
        assertThat(metadata.path("s3_key").asText()).isEqualTo("meta/q3 report.pdf");
        assertThat(metadata.path("s3_size").asLong()).isEqualTo("%PDF-1.4 quarterly".length());
        assertThat(metadata.path("s3_etag").asText()).isNotBlank().doesNotContain("\"");
        assertThat(metadata.path("s3_last_modified").asText()).isNotBlank();
        JsonNode raw = documents("meta/").get("s3://docs/meta/raw.bin").getFirst().orElseThrow();
        assertThat(raw.has("content_type")).as("S3's binary/octet-stream says nothing: the ingest detects").isFalse();
    }

    @Test
    void shouldRetryThrottlingAndServerErrorsWhileListing() {
        // given: S3 throttles and fails the next requests, and the source's client tries each call once
        put("faults/manual.txt", "slow S3", "text/plain", Map.of());
        int faultedBefore = s3.faults().faulted();
        s3.faults().inject(S3Fault.slowDown(), 2).inject(S3Fault.internalError(), 2);

        // when
        source("one", new SimpleMeterRegistry(), "faults/");

        // then
        await().atMost(Duration.ofSeconds(60)).until(() -> documents("faults/").size() == 1);
        assertThat(s3.faults().faulted() - faultedBefore).isEqualTo(4);
        assertThat(documents("faults/").get("s3://docs/faults/manual.txt")).hasSize(1);
    }

    @Test
    void shouldStopListingWhenFencedAndListAgainOnlyWhenTheGroupSaysSo() {
        // given a lister that published what it saw
        put("fenced/one.txt", "one", "text/plain", Map.of());
        MeterRegistry meters = new SimpleMeterRegistry();
        S3Source source = source("a", meters, "fenced/");
        await().atMost(Duration.ofSeconds(60)).until(() -> documents("fenced/").size() == 1);

        // when: a process the group did not choose takes the source's transactional id, and an object comes
        try (KafkaProducer<String, String> intruder = new KafkaProducer<>(kafka.settings().clientProperties(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaIds.S3_SOURCE_TRANSACTIONAL_ID_PREFIX + "0")),
                new StringSerializer(), new StringSerializer())) {
            intruder.initTransactions();
            put("fenced/two.txt", "two", "text/plain", Map.of());

            // then: the lister's commit is fenced, so it stops; the group still assigns this replica the state
            // partition, so it lists again, fencing the intruder in turn, and publishes the object once
            await().atMost(Duration.ofSeconds(60)).until(() -> documents("fenced/").size() == 2);
        }
        awaitTwoMoreScans(meters);
        assertThat(source.isListing()).isTrue();
        assertThat(documents("fenced/")).allSatisfy((id, records) -> assertThat(records).hasSize(1));
    }

    @Test
    void shouldListOnOneReplicaAtATimeAndHandOverWhenItStops() {
        // given: two replicas
        put("shared/one.txt", "one", "text/plain", Map.of());
        S3Source a = source("a", new SimpleMeterRegistry(), "shared/");
        S3Source b = source("b", new SimpleMeterRegistry(), "shared/");
        await().atMost(Duration.ofSeconds(60)).until(() -> documents("shared/").size() == 1);

        // then: one lists, the other waits
        await().atMost(Duration.ofSeconds(30)).until(() -> a.isListing() ^ b.isListing());
        S3Source listing = a.isListing() ? a : b;
        S3Source waiting = listing == a ? b : a;

        // when: the lister stops, and an object comes
        listing.close();
        sources.remove(listing);
        put("shared/two.txt", "two", "text/plain", Map.of());

        // then: the other takes over, publishes the new object, and nothing twice
        await().atMost(Duration.ofSeconds(60)).until(() -> documents("shared/").size() == 2);
        assertThat(waiting.isListing()).isTrue();
        assertThat(documents("shared/")).allSatisfy((id, records) -> assertThat(records).hasSize(1));
        assertThat(new String(s3.client().getObjectAsBytes(r -> r.bucket(BUCKET).key("shared/two.txt"))
                .asByteArray(), StandardCharsets.UTF_8)).isEqualTo("two");
    }
}
