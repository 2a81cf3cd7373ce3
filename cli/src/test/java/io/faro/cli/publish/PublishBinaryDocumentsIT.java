package io.faro.cli.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.cli.up.LocalFaro;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.document.ContentRef;
import io.faro.core.json.Json;
import io.faro.core.model.Document;
import io.faro.s3.ClaimCheckUploader;
import io.faro.s3.testing.TestS3;
import io.faro.core.topic.Topics;
import io.faro.devstack.testing.TestPostgres;
import io.faro.documents.samples.SampleFiles;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import io.faro.topology.dlq.DeadLetters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code faro publish} of a directory holding a PDF and an encrypted PDF, inline, and a Word file through S3
 * as a claim check, into FARO as {@code faro up} runs it (embedded broker, private PostgreSQL, the Qdrant
 * stand-in as primary, S3Proxy as S3, the real model): a question finds the right page of the PDF and the
 * right section of the Word file, and the answer cites them with their page and heading path, through both
 * stores' payloads; the encrypted file is dead-lettered with its reason.
 */
class PublishBinaryDocumentsIT {

    private static final String HARBOURS = """
            A harbour is a stretch of sheltered water where ships can anchor safely. Long breakwaters of piled \
            stone and concrete absorb the force of the waves, so that the water inside stays calm even during \
            winter storms. Quays line the inner basin, and cranes lift containers, timber and grain from the \
            holds of cargo ships onto waiting trucks and trains. A harbour master assigns berths, schedules the \
            tugboats that push large vessels into position, and keeps a record of every arrival and departure. \
            Fishing boats return before dawn to unload their catch at the market on the pier.""";
    private static final String LIGHTHOUSES = """
            A lighthouse is a tower with a powerful lamp at its top. Its beam sweeps across the sea at night so \
            that sailors can see the coast from far away and steer clear of hidden rocks and shallow reefs. Each \
            lighthouse flashes in its own rhythm, which navigators look up on their charts to know exactly where \
            they are. In fog, a horn sounds at fixed intervals. Keepers once lived in the tower, trimmed the \
            wicks, polished the great glass lens and wound the clockwork that turned it through the night.""";
    private static final String GLACIERS = """
            A glacier is a slow river of ice. Snow that survives the summer is pressed into dense ice over many \
            years, and the mass creeps downhill under its own weight. As it moves it scrapes the bedrock, \
            carving deep U-shaped valleys and sharp ridges, and it leaves long moraines of rock and gravel \
            behind when it melts back. Meltwater streams run milky with ground rock flour.""";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BUCKET = "faro-docs";
    private static QdrantStandIn qdrant;
    private static TestS3 s3;
    private static LocalFaro faro;

    @BeforeAll
    static void start() {
        qdrant = QdrantStandIn.start();
        s3 = TestS3.start();
        s3.createBucket(BUCKET);
        // the SDK's default chain finds these (as it finds AWS_ACCESS_KEY_ID in a pod's environment)
        System.setProperty("aws.accessKeyId", TestS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", TestS3.SECRET_KEY);
        Map<String, String> env = new HashMap<>(Map.of(
                FaroConfig.HOME, TestPostgres.tempDirOthersCanEnter("faro-binary-").toString(),
                FaroConfig.KAFKA_PORT, Integer.toString(TestPostgres.freePort()),
                FaroConfig.PG_PORT, Integer.toString(TestPostgres.freePort()),
                FaroConfig.HTTP_PORT, "0",
                FaroConfig.QDRANT_URL, qdrant.url(),
                FaroConfig.SINK_LINGER_MS, "50",
                FaroConfig.TOPIC_PARTITIONS, "2"));
        env.putAll(Map.of(FaroConfig.S3_BUCKET, BUCKET, FaroConfig.S3_ENDPOINT, s3.endpoint().toString(),
                FaroConfig.S3_REGION, TestS3.REGION));
        faro = LocalFaro.start(FaroConfig.from(Env.of(env)));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {faro, qdrant, s3}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void shouldFindTheRightPageAndSectionOfPublishedFilesAndCiteThem() throws Exception {
        // given a directory of files, published as faro publish does
        Path dir = Files.createTempDirectory("faro-binary-docs");
        Files.write(dir.resolve("manual.pdf"), SampleFiles.pdf(HARBOURS, LIGHTHOUSES, GLACIERS));
        byte[] handbook = SampleFiles.docx(
                "# Baking",
                "## Sourdough",
                "Sourdough bread rises without baker's yeast. A starter of flour and water hosts wild yeasts and "
                        + "lactic acid bacteria; fed every day, it leavens the dough slowly and gives the loaf its "
                        + "sour taste and open crumb.",
                "## Rye",
                "Rye flour holds little gluten, so rye loaves are dense and are baked in tins.",
                "# Brewing",
                "Beer is brewed from malted barley, hops, water and yeast.");
        Files.write(dir.resolve("locked.pdf"), SampleFiles.encryptedPdf("Nothing to see."));
        DocumentFiles files = new DocumentFiles(dir);
        FaroConfig config = faro.config();
        // and a Word file in S3, published as its claim check
        ContentRef ref = new ClaimCheckUploader(s3.client(), BUCKET).upload("handbook.docx", handbook, SampleFiles.DOCX);
        List<Document> documents = new ArrayList<>(files.expand(List.of(dir)).stream().map(files::read).toList());
        documents.add(new Document("handbook.docx", "handbook.docx", new Document.Reference(ref,
                Optional.of(SampleFiles.DOCX)), Map.of()));
        try (ClaimCheckPublishing oversize = ClaimCheckPublishing.of(config)) {
            PublishCommand.publish(config.kafka().withBootstrap(faro.bootstrapServers()), config.maxDocumentBytes(),
                    documents, oversize);
        }

        // when both files are searchable
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(post("/v1/search", "{\"query\": \"anything\", \"top_k\": 20}").get("hits"))
                        .extracting(hit -> hit.get("doc_id").asText())
                        .contains("manual.pdf", "handbook.docx"));

        // then the question about lighthouses is answered from page 2 of the PDF, and cited with its page
        JsonNode answer = post("/v1/query",
                "{\"question\": \"How do sailors avoid hidden rocks at night?\", \"top_k\": 3}");
        assertThat(answer.get("served_by").asText()).isEqualTo("qdrant");
        JsonNode source = answer.get("sources").get(0);
        assertThat(source.get("doc_id").asText()).isEqualTo("manual.pdf");
        assertThat(source.get("location").asText()).isEqualTo("page 2");
        assertThat(source.get("text").asText()).contains("lighthouse");
        assertThat(answer.get("citations").get(0).get("location").asText()).isEqualTo("page 2");

        // and the question about sourdough finds its section of the Word file, with the heading path
        JsonNode hit = post("/v1/search",
                "{\"query\": \"What makes sourdough bread rise without yeast?\", \"top_k\": 3}").get("hits").get(0);
        assertThat(hit.get("doc_id").asText()).isEqualTo("handbook.docx");
        assertThat(hit.get("location").asText()).isEqualTo("Baking › Sourdough");
        assertThat(hit.get("metadata").get("headings")).extracting(JsonNode::asText).containsExactly("Baking", "Sourdough");

        // and the encrypted PDF went to the dead-letter topic, saying why
        ConsumerRecord<String, String> dead = readOneDeadLetter();
        assertThat(dead.key()).isEqualTo("locked.pdf");
        assertThat(header(dead, DeadLetters.STAGE)).isEqualTo("extract");
        assertThat(header(dead, DeadLetters.REASON)).contains("encrypted");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
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

    private static JsonNode post(String path, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(faro.gatewayUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }
}
