package io.faro.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.Json;
import io.faro.core.topic.Topics;
import io.faro.devstack.testing.TestDirs;
import io.faro.devstack.testing.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code faro up} as root from a directory the {@code postgres} user cannot enter, as on a fresh machine
 * with a checkout under {@code /root}: it starts, takes a document and finds it, and finds it again after a
 * restart. Skipped unless the tests run as root.
 */
class RootHomeIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Path locked;
    private LocalFaro faro;
    private Path dataDir;

    @BeforeEach
    void requireRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "RootHomeIT checks faro up as root from a directory the postgres user cannot enter: run the tests"
                        + " as root (and with a postgres user, which the PostgreSQL server package creates)");
    }

    @AfterEach
    void removeEverything() {
        if (faro != null) {
            faro.close();
        }
        if (dataDir != null) {
            TestDirs.deleteRecursively(dataDir);
        }
        if (locked != null) {
            TestDirs.deleteRecursively(locked);
        }
    }

    @Test
    void shouldRunFromAFaroHomeThePostgresUserCannotEnterAndKeepItsDataAcrossRestarts() throws Exception {
        // given FARO_HOME inside a directory only root may enter, as mktemp -d and /root make
        locked = Files.createTempDirectory("faro-root-home-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        FaroConfig config = FaroConfig.from(Env.of(Map.of(
                FaroConfig.HOME, locked.resolve(".faro").toString(),
                FaroConfig.KAFKA_PORT, Integer.toString(TestPostgres.freePort()),
                FaroConfig.PG_PORT, Integer.toString(TestPostgres.freePort()),
                FaroConfig.HTTP_PORT, "0",
                FaroConfig.TOPIC_PARTITIONS, "1")));

        // when faro up starts there and a document is published
        faro = LocalFaro.start(config);
        dataDir = faro.postgresDataDir().orElseThrow();
        publish("lighthouse", "A lighthouse is a tower with a bright lamp that guides ships at night.");

        // then the document is found, and the cluster lives outside the locked directory
        awaitFound("lighthouse", "what guides ships at night?");
        assertThat(dataDir.startsWith(locked)).as("%s is outside %s", dataDir, locked).isFalse();
        String readyLine = UpCommand.readyLine(faro.gatewayUrl(), faro.bootstrapServers(), faro.pgUrl(),
                faro.postgresDataDir());
        assertThat(readyLine).contains("(data in " + dataDir + ")");

        // and after a restart of the same FARO_HOME the same cluster still holds it
        faro.close();
        faro = LocalFaro.start(config);
        assertThat(faro.postgresDataDir()).contains(dataDir);
        awaitFound("lighthouse", "what guides ships at night?");
    }

    private void publish(String id, String text) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, faro.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), id,
                    Json.mapper().writeValueAsString(Map.of("id", id, "title", id, "text", text)))).get();
        }
    }

    private void awaitFound(String id, String query) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(search(query).get("hits")).extracting(hit -> hit.get("doc_id").asText()).contains(id));
    }

    private JsonNode search(String query) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(faro.gatewayUrl() + "/v1/search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        Json.mapper().writeValueAsString(Map.of("query", query, "top_k", 5))))
                .build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(response.body());
    }
}
