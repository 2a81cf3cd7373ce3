package io.faro.gateway.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.json.Json;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.testing.InMemoryVectorStore;
import io.faro.core.dlq.DeadLetterHeaders;
import io.faro.core.topic.TopicInitializer;
import io.faro.core.topic.Topics;
import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.gateway.GatewayServer;
import io.faro.gateway.TestCallers;
import io.faro.gateway.HashingEmbedder;
import io.faro.gateway.answer.ExtractiveAnswerer;
import io.faro.gateway.health.Health;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The document routes of a real gateway against a real (embedded KRaft) broker: each upload form and
 * {@code DELETE} land in {@code faro.documents} as the record the route promised, under the right key, at
 * the partition and offset it answered; each refusal is a problem-details body with the right status; and
 * a dead letter on {@code faro.dlq} shows on {@code GET} until a later version is stored.
 */
class DocumentUploadIT {

    private static final int MAX_DOCUMENT_BYTES = 8_192;
    /** Bytes that look like a PDF to anyone who checks the header; enough for a route that does not parse. */
    private static final byte[] PDF = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path kafkaDir;
    private static EmbeddedKafkaBroker broker;
    private static KafkaSettings kafka;
    private static HttpClient http;

    private final List<AutoCloseable> started = new ArrayList<>();
    private InMemoryVectorStore store;
    private GatewayServer gateway;
    private DocumentIntake intake;
    @TempDir
    Path keyDir;

    @BeforeAll
    static void startBroker() throws IOException {
        java.util.logging.Logger.getLogger("io.helidon").setLevel(java.util.logging.Level.WARNING);
        broker = EmbeddedKafkaBroker.start(kafkaDir, freePort());
        kafka = KafkaSettings.at(broker.bootstrapServers());
        TopicInitializer.ensureTopics(kafka, MAX_DOCUMENT_BYTES);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stopBroker() {
        http.close();
        broker.close();
    }

    @BeforeEach
    void startGateway() {
        store = new InMemoryVectorStore("pgvector");
        Rejections rejections = new Rejections(100);
        DocumentPublisher publisher = closed(KafkaDocumentPublisher.create(kafka, MAX_DOCUMENT_BYTES,
                KafkaDocumentPublisher.DEFAULT_TIMEOUT, "upload-it"));
        closed(DeadLetterFollower.start(kafka, rejections, Duration.ofHours(1), "upload-it-dlq"));
        intake = new DocumentIntake(Optional.of(publisher), rejections);
        gateway = start(intake);
    }

    @AfterEach
    void stopGateway() throws Exception {
        for (AutoCloseable closeable : started.reversed()) {
            closeable.close();
        }
    }

    // ---------------------------------------------------------------- 202: the record is in Kafka

    @Test
    void shouldPublishAJsonDocumentUnderItsIdAndAnswerWhereItLanded() throws Exception {
        // when
        Response response = send(post("/v1/documents", "application/json", utf8("""
                {"id": "guides/kafka.md", "title": "Kafka", "text": "Consumers rebalance when a member joins.",
                 "metadata": {"team": "platform"}}
                """)));

        // then
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode accepted = response.json();
        assertThat(accepted.get("doc_id").asText()).isEqualTo("guides/kafka.md");
        assertThat(accepted.get("topic").asText()).isEqualTo(Topics.DOCUMENTS.name());
        assertThat(response.header("Location")).contains("/v1/documents/guides/kafka.md");
        ConsumerRecord<String, byte[]> record = recordAt(accepted);
        assertThat(record.key()).isEqualTo("guides/kafka.md");
        JsonNode value = Json.mapper().readTree(record.value());
        assertThat(value.get("id").asText()).isEqualTo("guides/kafka.md");
        assertThat(value.get("title").asText()).isEqualTo("Kafka");
        assertThat(value.get("text").asText()).isEqualTo("Consumers rebalance when a member joins.");
        assertThat(value.get("metadata").get("team").asText()).isEqualTo("platform");
    }

    @Test
    void shouldDeriveTheIdFromTheContentWhenNoneIsGiven() throws Exception {
        String text = "A document without an id.";

        Response first = send(post("/v1/documents", "application/json", utf8("{\"text\": \"" + text + "\"}")));
        Response again = send(post("/v1/documents", "application/json", utf8("{\"text\": \"" + text + "\"}")));

        assertThat(first.status()).as(first.body()).isEqualTo(202);
        String id = first.json().get("doc_id").asText();
        assertThat(id).isEqualTo("sha256:" + DocumentContract.sha256(utf8(text)));
        assertThat(again.json().get("doc_id").asText()).as("the same content, the same document").isEqualTo(id);
        assertThat(Json.mapper().readTree(recordAt(first.json()).value()).get("id").asText()).isEqualTo(id);
    }

    @Test
    void shouldPublishARawPdfInlineWithItsContentTypeAndTheIdAndTitleOfTheQuery() throws Exception {
        Response response = send(post("/v1/documents?id=reports/q3%20results.pdf&title=Q3%20results",
                "application/pdf", PDF));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        ConsumerRecord<String, byte[]> record = recordAt(response.json());
        assertThat(record.key()).isEqualTo("reports/q3 results.pdf");
        JsonNode value = Json.mapper().readTree(record.value());
        assertThat(value.get("title").asText()).isEqualTo("Q3 results");
        assertThat(value.get("content_type").asText()).isEqualTo("application/pdf");
        assertThat(Base64.getDecoder().decode(value.get("content_base64").asText())).isEqualTo(PDF);
        assertThat(value.has("text")).isFalse();
        assertThat(response.header("Location")).contains("/v1/documents/reports/q3%20results.pdf");
    }

    @Test
    void shouldPublishRawMarkdownAsTextInTheCharsetItDeclares() throws Exception {
        String markdown = "# Café\n\nCrème brûlée needs a blowtorch.\n";

        Response response = send(post("/v1/documents?id=recipes/creme.md", "text/markdown; charset=ISO-8859-1",
                markdown.getBytes(StandardCharsets.ISO_8859_1)));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode value = Json.mapper().readTree(recordAt(response.json()).value());
        assertThat(value.get("text").asText()).isEqualTo(markdown);
        assertThat(value.has("content_base64")).isFalse();
    }

    @Test
    void shouldPublishAMultipartPdfUploadWithItsIdTitleAndMetadata() throws Exception {
        MultipartBody form = new MultipartBody()
                .file("file", "C:\\Users\\me\\q3.pdf", "application/pdf", PDF)
                .field("id", "finance/q3.pdf")
                .field("title", "Third quarter")
                .field("metadata", "{\"team\": \"finance\", \"year\": 2026}");

        Response response = send(form.post(uri("/v1/documents")));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        ConsumerRecord<String, byte[]> record = recordAt(response.json());
        assertThat(record.key()).isEqualTo("finance/q3.pdf");
        JsonNode value = Json.mapper().readTree(record.value());
        assertThat(value.get("title").asText()).isEqualTo("Third quarter");
        assertThat(value.get("metadata").get("year").asInt()).isEqualTo(2026);
        assertThat(value.get("content_type").asText()).isEqualTo("application/pdf");
        assertThat(Base64.getDecoder().decode(value.get("content_base64").asText())).isEqualTo(PDF);
    }

    @Test
    void shouldNameAMultipartFileByItsFileNameAndKnowItsFormatByItsExtension() throws Exception {
        // curl sends application/octet-stream for a .md file
        MultipartBody form = new MultipartBody().file("file", "notes.md", "application/octet-stream",
                utf8("# Notes\n\nThe harbour closes at dusk.\n"));

        Response response = send(form.post(uri("/v1/documents")));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        ConsumerRecord<String, byte[]> record = recordAt(response.json());
        assertThat(record.key()).isEqualTo("notes.md");
        JsonNode value = Json.mapper().readTree(record.value());
        assertThat(value.get("title").asText()).isEqualTo("notes.md");
        assertThat(value.get("text").asText()).startsWith("# Notes");
    }

    @Test
    void shouldPublishATombstoneOnDelete() throws Exception {
        Response response = send(HttpRequest.newBuilder(uri("/v1/documents/guides/kafka.md")).DELETE().build());

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.json().get("doc_id").asText()).isEqualTo("guides/kafka.md");
        ConsumerRecord<String, byte[]> record = recordAt(response.json());
        assertThat(record.key()).isEqualTo("guides/kafka.md");
        assertThat(record.value()).as("a tombstone").isNull();
    }

    // ---------------------------------------------------------------- 4xx: refused, nothing published

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            no content                | {"id": "a"}                                                  | 'text', 'content_base64'
            two contents              | {"id": "a", "text": "x", "content_ref": "s3://b/k"}           | exclude each other
            blank text                | {"id": "a", "text": "   "}                                   | 'text' is empty
            text not a string         | {"id": "a", "text": 42}                                      | 'text' must be a string
            blank id                  | {"id": " ", "text": "x"}                                     | 'id' must be 1 to 1024
            title not a string        | {"id": "a", "title": ["t"], "text": "x"}                     | 'title' must be a string
            metadata not an object    | {"id": "a", "text": "x", "metadata": "team"}                 | 'metadata' must be a JSON object
            content not base64        | {"id": "a", "content_base64": "%%%", "content_type": "application/pdf"} | 'content_base64' is not base64
            content without its type  | {"id": "a", "content_base64": "JVBERg=="}                    | 'content_type' is missing
            claim check not s3        | {"id": "a", "content_ref": "https://example.com/a.pdf"}      | s3://bucket/key
            not JSON                  | {"id": "a", "text":                                          | not valid JSON
            not an object             | ["a"]                                                        | JSON object
            """)
    void shouldRefuseADocumentThatBreaksTheContractWith400NamingTheField(String what, String json, String detail)
            throws Exception {
        Response response = send(post("/v1/documents", "application/json", utf8(json)));

        assertProblem(response, 400);
        assertThat(response.json().get("detail").asText()).as(what).contains(detail);
    }

    @Test
    void shouldRefuseAMultipartFormWithoutAFileWith400() throws Exception {
        Response response = send(new MultipartBody().field("id", "a").post(uri("/v1/documents")));

        assertProblem(response, 400);
        assertThat(response.json().get("detail").asText()).contains("no 'file' part");
    }

    @Test
    void shouldRefuseFormatsFaroDoesNotTakeWith415ListingThoseItDoes() throws Exception {
        List<Response> refused = List.of(
                send(post("/v1/documents?id=a.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'})),
                send(post("/v1/documents", "application/json",
                        utf8("{\"id\": \"a\", \"content_base64\": \"iVBORw==\", \"content_type\": \"image/png\"}"))),
                send(new MultipartBody().file("file", "photo.png", "application/octet-stream", PDF)
                        .post(uri("/v1/documents"))),
                send(HttpRequest.newBuilder(uri("/v1/documents")).POST(HttpRequest.BodyPublishers.ofByteArray(PDF))
                        .build()));

        for (Response response : refused) {
            assertProblem(response, 415);
            assertThat(response.json().get("detail").asText()).contains("application/pdf", "text/markdown");
        }
    }

    @Test
    void shouldRefuseAnUploadOverTheDocumentLimitWith413() throws Exception {
        byte[] large = new byte[MAX_DOCUMENT_BYTES + 1];

        List<Response> refused = List.of(
                send(post("/v1/documents?id=big.pdf", "application/pdf", large)),
                send(post("/v1/documents", "application/json", utf8("{\"id\": \"big\", \"text\": \""
                        + "x".repeat(MAX_DOCUMENT_BYTES) + "\"}"))),
                send(new MultipartBody().file("file", "big.pdf", "application/pdf", large).post(uri("/v1/documents"))));

        for (Response response : refused) {
            assertProblem(response, 413);
            assertThat(response.json().get("detail").asText()).contains(FaroConfig.MAX_DOCUMENT_BYTES);
        }
    }

    @Test
    void shouldRefuseAFileThatFitsButNotOnceInBase64With413() throws Exception {
        byte[] file = new byte[MAX_DOCUMENT_BYTES * 7 / 8];
        System.arraycopy(PDF, 0, file, 0, PDF.length);

        Response response = send(post("/v1/documents?id=almost.pdf", "application/pdf", file));

        assertProblem(response, 413);
        assertThat(response.json().get("detail").asText()).contains("base64", "content_ref");
    }

    @Test
    void shouldAnswer405WhenUploadsAreTurnedOff() throws Exception {
        GatewayServer readOnly = start(DocumentIntake.readOnly());

        Response upload = send(HttpRequest.newBuilder(uri(readOnly, "/v1/documents"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"a\", \"text\": \"x\"}")).build());
        Response delete = send(HttpRequest.newBuilder(uri(readOnly, "/v1/documents/a")).DELETE().build());

        assertProblem(upload, 405);
        assertThat(upload.json().get("detail").asText()).contains(FaroConfig.UPLOADS + "=false");
        assertProblem(delete, 405);
        assertThat(delete.header("Allow")).contains("GET");
    }

    // ---------------------------------------------------------------- 503: Kafka away

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaDoesNotTakeTheRecord() throws Exception {
        // given a gateway whose Kafka is not there
        DocumentPublisher nowhere = closed(KafkaDocumentPublisher.create(KafkaSettings.at("127.0.0.1:" + freePort()),
                MAX_DOCUMENT_BYTES, Duration.ofSeconds(2), "upload-it-nowhere"));
        GatewayServer stranded = start(new DocumentIntake(Optional.of(nowhere), new Rejections(10)));

        // when
        Response upload = send(HttpRequest.newBuilder(uri(stranded, "/v1/documents"))
                .header("Content-Type", "application/pdf").POST(HttpRequest.BodyPublishers.ofByteArray(PDF)).build());
        Response delete = send(HttpRequest.newBuilder(uri(stranded, "/v1/documents/a")).DELETE().build());

        // then
        for (Response response : List.of(upload, delete)) {
            assertProblem(response, 503);
            assertThat(response.header("Retry-After")).hasValueSatisfying(seconds ->
                    assertThat(Integer.parseInt(seconds)).isPositive());
            assertThat(response.json().get("detail").asText()).contains("send it again");
        }
    }

    // ---------------------------------------------------------------- GET: the last rejection

    @Test
    void shouldReportADeadLetteredVersionUntilALaterVersionIsStored() throws Exception {
        // given a document that was uploaded, then refused by the pipeline
        Response upload = send(post("/v1/documents?id=broken.pdf", "application/pdf", PDF));
        long version = upload.json().get("offset").asLong();
        deadLetter("broken.pdf", version, "parse", "the PDF is encrypted");

        // then GET says so, though no store holds the document
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Response described = send(HttpRequest.newBuilder(uri("/v1/documents/broken.pdf")).GET().build());
            assertThat(described.status()).as(described.body()).isEqualTo(200);
            JsonNode rejection = described.json().get("rejection");
            assertThat(rejection.get("stage").asText()).isEqualTo("parse");
            assertThat(rejection.get("reason").asText()).isEqualTo("the PDF is encrypted");
            assertThat(rejection.get("version").asLong()).isEqualTo(version);
            assertThat(described.json().get("version").isNull()).isTrue();
        });

        // when a later version is stored
        index("broken.pdf", version + 1);

        // then the rejection is history
        Response described = send(HttpRequest.newBuilder(uri("/v1/documents/broken.pdf")).GET().build());
        assertThat(described.status()).isEqualTo(200);
        assertThat(described.json().get("rejection").isNull()).isTrue();
        assertThat(described.json().get("version").asLong()).isEqualTo(version + 1);
    }

    @Test
    void shouldAnswer404ForADocumentNeitherStoredNorRejected() throws Exception {
        Response response = send(HttpRequest.newBuilder(uri("/v1/documents/nothing-here")).GET().build());

        assertProblem(response, 404);
    }

    @Test
    void shouldAnswer400ForAnIdNoDocumentCanHaveWithoutAskingTheStores() throws Exception {
        // a store that would fail is not asked: the id is the problem (found by an outside probe: it was a 503)
        store.failing(true);

        Response nul = send(HttpRequest.newBuilder(uri("/v1/documents/%00")).GET().build());
        Response tooLong = send(HttpRequest.newBuilder(uri("/v1/documents/" + "x".repeat(1_025))).GET().build());
        Response deleteNul = send(HttpRequest.newBuilder(uri("/v1/documents/a%00b")).DELETE().build());

        assertProblem(nul, 400);
        assertThat(nul.json().get("detail").asText()).contains("no document can have this id");
        assertProblem(tooLong, 400);
        assertProblem(deleteNul, 400);
    }

    // ---------------------------------------------------------------- tenants

    @Test
    void shouldPublishADocumentInTheTenantAndAclTheUploadNamesKeyedByTenantAndId() throws Exception {
        Response response = send(post("/v1/documents?tenant=acme&acl=hr,legal", "application/json",
                utf8("{\"id\": \"plan\", \"text\": \"The comet launches in spring.\"}")));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode accepted = response.json();
        assertThat(accepted.get("doc_id").asText()).isEqualTo("plan");
        assertThat(accepted.get("tenant").asText()).isEqualTo("acme");
        assertThat(response.header("Location")).hasValue("/v1/documents/plan?tenant=acme");
        ConsumerRecord<String, byte[]> record = recordAt(accepted);
        assertThat(record.key()).isEqualTo("acme\u001Fplan");
        JsonNode value = Json.mapper().readTree(record.value());
        assertThat(value.get("tenant").asText()).isEqualTo("acme");
        assertThat(value.get("acl")).extracting(JsonNode::asText).containsExactly("hr", "legal");
    }

    @Test
    void shouldPutARestrictedCallersUploadsAndDeletesInItsOwnTenant() throws Exception {
        GatewayServer keyed = startWithKeys("acme");
        MultipartBody form = new MultipartBody().file("file", "memo.pdf", "application/pdf", PDF)
                .field("acl", "board");
        Response upload = send(form.post(uri(keyed, "/v1/documents"), TestCallers.HEADER, "acme"));
        Response delete = send(HttpRequest.newBuilder(uri(keyed, "/v1/documents/memo.pdf"))
                .header(TestCallers.HEADER, "acme").DELETE().build());

        assertThat(upload.status()).as(upload.body()).isEqualTo(202);
        ConsumerRecord<String, byte[]> published = recordAt(upload.json());
        assertThat(published.key()).isEqualTo("acme\u001Fmemo.pdf");
        assertThat(Json.mapper().readTree(published.value()).get("acl").get(0).asText()).isEqualTo("board");
        assertThat(delete.status()).as(delete.body()).isEqualTo(202);
        ConsumerRecord<String, byte[]> tombstone = recordAt(delete.json());
        assertThat(tombstone.key()).isEqualTo("acme\u001Fmemo.pdf");
        assertThat(tombstone.value()).isNull();
    }

    @Test
    void shouldRefuseARestrictedCallerThatNamesAnotherTenant() throws Exception {
        GatewayServer keyed = startWithKeys("acme");
        Response body = send(HttpRequest.newBuilder(uri(keyed, "/v1/documents")).header(TestCallers.HEADER, "acme")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(utf8(
                        "{\"id\": \"plan\", \"tenant\": \"globex\", \"text\": \"theirs\"}"))).build());
        Response query = send(HttpRequest.newBuilder(uri(keyed, "/v1/documents/plan?tenant=globex"))
                .header(TestCallers.HEADER, "acme").DELETE().build());
        Response describe = send(HttpRequest.newBuilder(uri(keyed, "/v1/documents/plan?tenant=globex"))
                .header(TestCallers.HEADER, "acme").GET().build());

        assertProblem(body, 403);
        assertProblem(query, 403);
        assertProblem(describe, 403);
        assertThat(body.json().get("detail").asText()).contains("tenant 'acme' only");
    }

    @Test
    void shouldRefuseATenantNoDocumentCanHave() throws Exception {
        assertProblem(send(post("/v1/documents?tenant=Not%20A%20Tenant", "application/json",
                utf8("{\"id\": \"plan\", \"text\": \"t\"}"))), 400);
        assertProblem(send(post("/v1/documents", "application/json",
                utf8("{\"id\": \"plan\", \"text\": \"t\", \"acl\": \"hr\"}"))), 400);
        assertProblem(send(post("/v1/documents", "application/json",
                utf8("{\"id\": \"a\\u001Fb\", \"text\": \"t\"}"))), 400);
    }

    // ---------------------------------------------------------------- helpers

    private GatewayServer start(DocumentIntake documents) {
        return start(documents, Map.of());
    }

    /** A gateway over the same intake that knows these callers by their API keys ({@link TestCallers}). */
    private GatewayServer startWithKeys(String... callers) throws IOException {
        return start(intake, Map.of(FaroConfig.API_KEYS_FILE, TestCallers.keyFile(keyDir, callers).toString()));
    }

    private GatewayServer start(DocumentIntake documents, Map<String, String> auth) {
        Map<String, String> vars = new java.util.HashMap<>(auth);
        vars.put(FaroConfig.MAX_DOCUMENT_BYTES, Integer.toString(MAX_DOCUMENT_BYTES));
        FaroConfig config = FaroConfig.from(Env.of(vars)).withPorts(0, 0, 0);
        HashingEmbedder embedder = new HashingEmbedder();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        closed(meters::close);
        return closed(GatewayServer.start(config, new GatewayServer.Dependencies(new Embedders(model -> embedder),
                embedder.model(), store, Optional.empty(), new ExtractiveAnswerer(), new Health(), meters,
                documents)));
    }

    private <T extends AutoCloseable> T closed(T closeable) {
        started.add(closeable);
        return closeable;
    }

    private void index(String docId, long version) {
        HashingEmbedder embedder = new HashingEmbedder();
        Chunk chunk = new Chunk(Chunk.idOf(docId, 0), docId, version, 0, docId, "fixed text", Map.of());
        store.upsert(List.of(new EmbeddedChunk(chunk, embedder.model(), embedder.dimension(),
                embedder.embedAll(List.of(chunk.text())).getFirst())));
    }

    /** A dead letter as the topology writes one for a document it refused. */
    private static void deadLetter(String docId, long version, String stage, String reason) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        Map.of(DeadLetterHeaders.STAGE, stage, DeadLetterHeaders.REASON, reason,
                DeadLetterHeaders.FAILED_AT, java.time.Instant.now().toString(),
                DeadLetterHeaders.SOURCE_TOPIC, Topics.DOCUMENTS.name(),
                DeadLetterHeaders.SOURCE_PARTITION, "0", DeadLetterHeaders.SOURCE_OFFSET, Long.toString(version))
                .forEach((name, value) -> headers.add(name, utf8(value)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.DLQ.name(), null, docId, utf8("{}"), headers)).get();
        }
    }

    /** The record at the partition and offset an answer names. */
    private static ConsumerRecord<String, byte[]> recordAt(JsonNode accepted) {
        TopicPartition partition = new TopicPartition(accepted.get("topic").asText(), accepted.get("partition").asInt());
        long offset = accepted.get("offset").asLong();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no record at " + partition + " offset " + offset);
    }

    private URI uri(String path) {
        return uri(gateway, path);
    }

    private static URI uri(GatewayServer target, String path) {
        return URI.create("http://localhost:" + target.port() + path);
    }

    private HttpRequest post(String path, String contentType, byte[] body) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Response(int status, HttpResponse<String> raw) {

        String body() {
            return raw.body();
        }

        JsonNode json() throws IOException {
            return Json.mapper().readTree(raw.body());
        }

        Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }
    }

    private static Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response);
    }

    /** A problem-details body with the status echoed, a detail, and nothing of FARO's insides. */
    private static void assertProblem(Response response, int status) throws IOException {
        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        JsonNode body = response.json();
        assertThat(body.get("type").asText()).startsWith("/problems/");
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("detail").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("io.faro.").doesNotContain("\tat ");
    }
}
