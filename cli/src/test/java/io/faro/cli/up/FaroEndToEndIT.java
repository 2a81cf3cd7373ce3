package io.faro.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.Json;
import io.faro.devstack.testing.TestPostgres;
import io.faro.core.topic.Topics;
import io.faro.gateway.documents.MultipartBody;
import io.faro.topology.dlq.DeadLetters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FARO as {@code faro up} runs it: the embedded broker, a private PostgreSQL with pgvector, the real
 * embedding model, the topology, the sink and the gateway; documents published with a plain producer.
 */
class FaroEndToEndIT {

    private static final Map<String, String> DOCUMENTS = Map.of(
            "lighthouse", """
                    A lighthouse is a tower with a bright lamp at the top. Its beam sweeps across the sea at \
                    night so that sailors can find the coast and steer clear of dangerous rocks and shoals. \
                    Keepers once trimmed the wicks and wound the clockwork that turned the lens.""",
            "sourdough", """
                    Sourdough bread rises without baker's yeast. A starter of flour and water hosts wild \
                    yeasts and lactic acid bacteria; fed every day, it leavens the dough slowly and gives \
                    the loaf its sour taste and open crumb.""",
            "glacier", """
                    A glacier is a slow river of ice. Snow that survives the summer is compressed into \
                    dense ice over many years, and the mass creeps downhill under its own weight, carving \
                    U-shaped valleys and leaving moraines of rock behind.""");

    private static final Map<String, String> QUESTIONS = Map.of(
            "lighthouse", "How do sailors avoid rocks near the coast at night?",
            "sourdough", "What makes bread rise without commercial yeast?",
            "glacier", "How are valleys shaped by moving ice?");

    private static LocalFaro faro;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startFaro() {
        Path home = TestPostgres.tempDirOthersCanEnter("faro-e2e-");
        FaroConfig config = FaroConfig.from(Env.of(Map.of(
                FaroConfig.HOME, home.toString(),
                FaroConfig.KAFKA_PORT, Integer.toString(TestPostgres.freePort()),
                FaroConfig.PG_PORT, Integer.toString(TestPostgres.freePort()),
                FaroConfig.HTTP_PORT, "0",
                FaroConfig.TOPIC_PARTITIONS, "2")));
        faro = LocalFaro.start(config);
    }

    @AfterAll
    static void stopFaro() {
        if (faro != null) {
            faro.close();
        }
    }

    @Test
    void shouldAnswerQuestionsFromPublishedDocumentsAndDeadLetterMalformedOnes() throws Exception {
        // given three documents and a malformed record between them, published with a plain producer
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, faro.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            List<String> ids = List.copyOf(DOCUMENTS.keySet());
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), ids.get(0), documentJson(ids.get(0)))).get();
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), "broken", "{\"id\": \"broken\", \"text\": ")).get();
            for (String id : ids.subList(1, ids.size())) {
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), id, documentJson(id))).get();
            }
        }

        // when every document is searchable
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(post("/v1/search", "{\"query\": \"anything\", \"top_k\": 10}").body().get("hits"))
                        .extracting(hit -> hit.get("doc_id").asText())
                        .containsAll(DOCUMENTS.keySet()));

        // then a question about each document is answered from that document first
        for (var question : QUESTIONS.entrySet()) {
            JsonNode answer = post("/v1/query", "{\"question\": \"" + question.getValue() + "\", \"top_k\": 3}").body();
            assertThat(answer.get("sources").get(0).get("doc_id").asText())
                    .as("first source for: %s", question.getValue())
                    .isEqualTo(question.getKey());
            assertThat(answer.get("extractive").asBoolean()).isTrue();
            assertThat(answer.get("answer").asText()).contains("[1]");
            assertThat(answer.get("served_by").asText()).isEqualTo("pgvector");
        }

        // and the malformed record is in the dead-letter topic with its reason
        ConsumerRecord<String, String> dead = readOneDeadLetter();
        assertThat(dead.key()).isEqualTo("broken");
        assertThat(new String(dead.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .contains("not valid JSON");
    }

    @Test
    void shouldSayWhyTheLatestVersionOfAnUploadWasRefusedUntilAGoodVersionIsStored() throws Exception {
        // given a file that is no PDF, uploaded as one
        Response upload = send(new MultipartBody().field("id", "manual")
                .file("file", "manual.pdf", "application/pdf",
                        "%PDF-1.7 this is no PDF\n".getBytes(StandardCharsets.US_ASCII))
                .post(URI.create(faro.gatewayUrl() + "/v1/documents")));
        assertThat(upload.status()).as(upload.body().toString()).isEqualTo(202);
        long refused = upload.body().get("offset").asLong();

        // when the pipeline has refused it, the gateway says so, at which stage and why
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Response described = get("/v1/documents/manual");
            assertThat(described.status()).as(described.body().toString()).isEqualTo(200);
            JsonNode rejection = described.body().get("rejection");
            assertThat(rejection.isObject()).as("a rejection in %s", described.body()).isTrue();
            assertThat(rejection.get("version").asLong()).isEqualTo(refused);
            assertThat(rejection.get("stage").asText()).isNotBlank();
            assertThat(rejection.get("reason").asText()).isNotBlank();
        });

        // and once a good version, published with a plain producer, is stored, the rejection is history
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, faro.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), "manual", Json.mapper().writeValueAsString(
                    Map.of("id", "manual", "text", "The manual explains how to reset the pump.")))).get();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode described = get("/v1/documents/manual").body();
            assertThat(described.get("version").asLong()).isGreaterThan(refused);
            assertThat(described.get("rejection").isNull()).as("%s", described).isTrue();
        });
    }

    @Test
    void shouldReportReadyWithEveryCheckUp() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Response ready = get("/health/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body().get("checks").properties()).extracting(Map.Entry::getValue)
                    .allSatisfy(state -> assertThat(state.asText()).isEqualTo("UP"));
        });
        assertThat(get("/health/live").status()).isEqualTo(200);
    }

    private static String documentJson(String id) throws IOException {
        return Json.mapper().writeValueAsString(Map.of("id", id, "title", id, "text", DOCUMENTS.get(id),
                "metadata", Map.of("source", "test")));
    }

    private static ConsumerRecord<String, String> readOneDeadLetter() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, faro.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.DLQ.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    return record;
                }
            }
        }
        throw new AssertionError("no record in " + Topics.DLQ.name());
    }

    record Response(int status, JsonNode body) {
    }

    private static Response post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(faro.gatewayUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static Response get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(faro.gatewayUrl() + path)).GET().build());
    }

    private static Response send(HttpRequest request) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), Json.mapper().readTree(response.body()));
    }
}
