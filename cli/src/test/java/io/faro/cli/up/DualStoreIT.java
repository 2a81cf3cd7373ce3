package io.faro.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.Json;
import io.faro.devstack.LocalPostgres;
import io.faro.core.model.Document;
import io.faro.core.store.VectorStore;
import io.faro.stores.pgvector.PgVectorStore;
import io.faro.stores.qdrant.QdrantStore;
import io.faro.devstack.testing.TestPostgres;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import io.faro.core.topic.Topics;
import io.faro.topology.split.ChunkSplitter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FARO with both stores: the embedded broker, the real model, a PostgreSQL the test can stop and the
 * Qdrant stand-in. Each store's sink progresses on its own; the gateway serves from Qdrant and falls
 * back to pgvector.
 */
class DualStoreIT {

    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static QdrantStandIn qdrant;
    private static Path pgDir;
    private static int pgPort;
    private static LocalPostgres postgres;
    private static FaroConfig config;
    private static LocalFaro faro;
    private static VectorStore pgvectorView;
    private static VectorStore qdrantView;
    private static KafkaProducer<String, String> producer;
    private static ChunkSplitter splitter;

    @BeforeAll
    static void start() {
        qdrant = QdrantStandIn.start();
        pgDir = TestPostgres.tempDirOthersCanEnter("faro-dual-pg-").resolve("data");
        pgPort = TestPostgres.freePort();
        postgres = LocalPostgres.start(pgDir, pgPort);
        config = FaroConfig.from(Env.of(Map.of(
                FaroConfig.HOME, TestPostgres.tempDirOthersCanEnter("faro-dual-").toString(),
                FaroConfig.KAFKA_PORT, Integer.toString(TestPostgres.freePort()),
                FaroConfig.HTTP_PORT, "0",
                FaroConfig.PG_URL, postgres.url(),
                FaroConfig.QDRANT_URL, qdrant.url(),
                FaroConfig.QDRANT_TIMEOUT_MS, "2000",
                FaroConfig.SINK_LINGER_MS, "50",
                FaroConfig.TOPIC_PARTITIONS, "2")));
        faro = LocalFaro.start(config);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, faro.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        String model = config.embedding().model();
        int dimension = config.embedding().dimension();
        pgvectorView = PgVectorStore.open(postgres.url(), config.pg().table(), model, dimension);
        qdrantView = QdrantStore.open(qdrant.url(), Optional.empty(), config.qdrant().orElseThrow().collection(), model,
                dimension, Duration.ofSeconds(2));
        splitter = new ChunkSplitter(config.chunkSizeTokens(), config.chunkOverlapTokens());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {producer, pgvectorView, qdrantView, faro, postgres, qdrant}) {
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
    void shouldWriteEveryChunkToBothStores() {
        List<Document> docs = documents("both", 4);

        publish(docs);

        awaitComplete(pgvectorView, docs);
        awaitComplete(qdrantView, docs);
        docs.forEach(doc -> assertThat(qdrantView.chunkIdsOf(doc.id())).isEqualTo(pgvectorView.chunkIdsOf(doc.id())));
    }

    @Test
    void shouldCatchUpQdrantAfterItWasDownWhilePgvectorKeptIngesting() {
        List<Document> before = documents("qdown-a", 2);
        List<Document> during = documents("qdown-b", 3);
        publish(before);
        awaitComplete(qdrantView, before);

        qdrant.stop();
        try {
            publish(during);
            awaitComplete(pgvectorView, during);
        } finally {
            qdrant.restart();
        }

        awaitComplete(qdrantView, during);
        List<Document> all = concat(before, during);
        all.forEach(doc -> assertThat(qdrantView.chunkIdsOf(doc.id())).isEqualTo(pgvectorView.chunkIdsOf(doc.id())));
        assertThat(pointsWithPrefix("qdown-")).isEqualTo(expectedChunkCount(all));
    }

    @Test
    void shouldCatchUpPgvectorAfterPostgresWasDownWhileQdrantKeptIngesting() {
        List<Document> before = documents("pgdown-a", 2);
        List<Document> during = documents("pgdown-b", 3);
        publish(before);
        awaitComplete(pgvectorView, before);

        postgres.close();
        try {
            publish(during);
            awaitComplete(qdrantView, during);
        } finally {
            postgres = LocalPostgres.start(pgDir, pgPort);
        }

        awaitComplete(pgvectorView, during);
        concat(before, during).forEach(doc ->
                assertThat(pgvectorView.chunkIdsOf(doc.id())).isEqualTo(qdrantView.chunkIdsOf(doc.id())));
    }

    @Test
    void shouldAnswerFromPgvectorWhenQdrantFailsAndSaySo() throws Exception {
        List<Document> docs = documents("fallback", 1);
        publish(docs);
        awaitComplete(pgvectorView, docs);

        qdrant.failAll(true);
        JsonNode answer;
        try {
            answer = post("/v1/search", Map.of("query", docs.getFirst().text(), "top_k", 1));
        } finally {
            qdrant.failAll(false);
        }

        assertThat(answer.get("served_by").asText()).isEqualTo("pgvector");
        assertThat(answer.get("degraded").asBoolean()).isTrue();
        assertThat(answer.get("hits").get(0).get("doc_id").asText()).isEqualTo(docs.getFirst().id());
        assertThat(scrape()).containsPattern("rag_search_fallback_total\\{reason=\"(error|circuit_open)\"} [1-9]");
    }

    @Test
    void shouldMeasureFullAgreementWhenStoresHoldTheSameChunks() throws Exception {
        List<Document> docs = documents("agree", 3);
        publish(docs);
        awaitComplete(qdrantView, docs);
        awaitComplete(pgvectorView, docs);

        JsonNode answer = post("/v1/search", Map.of("query", docs.get(1).text(), "top_k", 3,
                "filter", Map.of("suite", "agree")));

        assertThat(answer.get("served_by").asText()).isEqualTo("qdrant");
        assertThat(answer.get("degraded").asBoolean()).isFalse();
        assertThat(answer.get("hits")).extracting(hit -> hit.get("doc_id").asText()).allMatch(id -> id.startsWith("agree-"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            double sum = metric(scrape(), "rag_search_overlap_ratio_sum");
            double count = metric(scrape(), "rag_search_overlap_ratio_count");
            assertThat(count).isPositive();
            assertThat(sum).isEqualTo(count);
        });
    }

    @Test
    void shouldFollowADocumentThroughItsLifeInBothStores() throws Exception {
        String id = "life-0";
        String paragraph = "Lighthouses guide ships past rocks at night, and their keepers once wound the clockwork"
                + " that turned the lens. ";
        Document full = new Document(id, "Life", String.join("\n\n",
                paragraph.repeat(6), "Glaciers carve valleys. ".repeat(30), "Bees dance for flowers. ".repeat(30)),
                Map.of("suite", "life"));
        Document shrunk = new Document(id, "Life", paragraph.repeat(6), Map.of("suite", "life"));
        assertThat(expectedChunkIds(full)).hasSizeGreaterThan(expectedChunkIds(shrunk).size());

        // a long version, then a shorter one: the chunks it no longer has leave both stores
        publish(List.of(full));
        awaitComplete(qdrantView, List.of(full));
        awaitComplete(pgvectorView, List.of(full));
        double reusedBefore = metric(scrape(), "faro_embeddings_reused_total");
        publish(List.of(shrunk));
        awaitComplete(qdrantView, List.of(shrunk));
        awaitComplete(pgvectorView, List.of(shrunk));
        // the chunks the two versions share were not embedded again
        assertThat(metric(scrape(), "faro_embeddings_reused_total") - reusedBefore)
                .isEqualTo(expectedChunkIds(shrunk).size());

        // a tombstone removes the document from both stores and from answers
        producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), id, null)).get();
        await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() -> {
            assertThat(qdrantView.chunkIdsOf(id)).isEmpty();
            assertThat(pgvectorView.chunkIdsOf(id)).isEmpty();
        });
        JsonNode answer = post("/v1/search", Map.of("query", paragraph, "top_k", 5, "filter", Map.of("suite", "life")));
        assertThat(answer.get("hits")).isEmpty();
    }

    @Test
    void shouldShowEachStoresStateOfADocument() throws Exception {
        Document doc = new Document("handbook/state.md", "State", "Kafka keeps records in partitions.",
                Map.of("suite", "state"));
        publish(List.of(doc));
        awaitComplete(qdrantView, List.of(doc));
        awaitComplete(pgvectorView, List.of(doc));

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(faro.gatewayUrl() + "/v1/documents/handbook/state.md")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode state = Json.mapper().readTree(response.body());
        assertThat(state.get("doc_id").asText()).isEqualTo("handbook/state.md");
        assertThat(state.get("chunk_count").asInt()).isEqualTo(1);
        long version = state.get("version").asLong();
        for (String store : List.of("qdrant", "pgvector")) {
            JsonNode held = state.get("stores").get(store);
            assertThat(held.get("version").asLong()).as(store).isEqualTo(version);
            assertThat(held.get("chunk_ids")).extracting(JsonNode::asText).containsExactly("handbook/state.md#0");
            assertThat(held.get("current").asBoolean()).as(store).isTrue();
            assertThat(java.time.Instant.parse(held.get("searchable_since").asText())).isBefore(java.time.Instant.now());
        }
        HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(
                URI.create(faro.gatewayUrl() + "/v1/documents/no-such-doc")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void shouldKeepTheSameIdInTwoTenantsApartInBothStoresAndChangeAnAclInPlace() throws Exception {
        Document ours = documents("shared", 1).getFirst();
        Document other = documents("shared", 2).getLast();
        Document theirs = new Document(ours.id(), other.title(), other.text(), other.metadata()).withAccess("acme",
                List.of("board"));
        publish(List.of(ours, theirs));
        for (VectorStore store : List.of(pgvectorView, qdrantView)) {
            awaitComplete(store, List.of(ours, theirs));
            assertThat(store.describe(theirs.key()).acl()).containsExactly("board");
        }

        Document widened = theirs.withAccess("acme", List.of("board", "eng"));
        publish(List.of(widened));
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
            assertThat(pgvectorView.describe(theirs.key()).acl()).containsExactly("board", "eng");
            assertThat(qdrantView.describe(theirs.key()).acl()).containsExactly("board", "eng");
        });

        producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), theirs.key(), null)).get();
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
            assertThat(pgvectorView.describe(theirs.key()).isPresent()).isFalse();
            assertThat(qdrantView.describe(theirs.key()).isPresent()).isFalse();
        });
        awaitComplete(pgvectorView, List.of(ours));
        awaitComplete(qdrantView, List.of(ours));
    }

    private static List<Document> documents(String prefix, int n) {
        String[] topics = {"lighthouses guide ships past rocks at night", "sourdough starters leaven bread slowly",
                "glaciers carve valleys as they creep downhill", "bees dance to show where the flowers are",
                "tides rise and fall with the pull of the moon"};
        return IntStream.range(0, n)
                .mapToObj(i -> new Document(prefix + "-" + i, prefix + " " + i,
                        "Paragraph " + i + " of " + prefix + ": " + topics[i % topics.length] + ".\n\n"
                                + "A second paragraph repeats that " + topics[(i + 1) % topics.length] + ".",
                        Map.of("suite", prefix.replaceAll("-[ab]$", ""))))
                .toList();
    }

    private static void publish(List<Document> docs) {
        try {
            for (Document doc : docs) {
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), doc.key(),
                        Json.mapper().writeValueAsString(doc))).get();
            }
        } catch (Exception e) {
            throw new AssertionError("publishing failed", e);
        }
    }

    private static void awaitComplete(VectorStore store, List<Document> docs) {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
            for (Document doc : docs) {
                assertThat(store.chunkIdsOf(doc.key())).as("%s in %s", doc.key(), store.name())
                        .isEqualTo(expectedChunkIds(doc));
            }
        });
    }

    private static Set<String> expectedChunkIds(Document doc) {
        Set<String> ids = new TreeSet<>();
        splitter.split(doc, 0L).forEach(chunk -> ids.add(chunk.chunkId()));
        return ids;
    }

    private static long expectedChunkCount(List<Document> docs) {
        return docs.stream().mapToLong(doc -> expectedChunkIds(doc).size()).sum();
    }

    private static long pointsWithPrefix(String prefix) {
        String alias = config.qdrant().orElseThrow().collection();
        return qdrant.pointIds(alias).stream()
                .filter(id -> String.valueOf(qdrant.payload(alias, id).get("doc_id")).startsWith(prefix))
                .count();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static JsonNode post(String path, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(faro.gatewayUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private static String scrape() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(faro.gatewayUrl() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double metric(String scrape, String name) {
        return scrape.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
