package io.faro.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.cli.faults.FaroProcess;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.Json;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.model.Document;
import io.faro.core.topic.Topics;
import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.devstack.testing.TestPostgres;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every component as its own OS process, started from the distribution the image ships and configured
 * only by environment variables, as each Deployment of a cluster runs one: against one broker and one
 * PostgreSQL (and a Qdrant stand-in), each bound by {@code FARO_HTTP_HOST} to a loopback address other
 * than 127.0.0.1, then to the wildcard address. Each serves its health and metrics where it is bound and
 * nowhere else; documents flow through the four processes; on SIGTERM each turns not ready, finishes,
 * leaves its consumer group and exits well within 30 s.
 */
class ComponentProcessIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> COMPONENTS = List.of("ingest", "sink-pgvector", "sink-qdrant", "gateway");
    /** Well within Kubernetes' default 30 s grace period. */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(20);
    /** The gateway's one API key (it takes keys, as the chart runs it). */
    private static final String KEY = io.faro.gateway.auth.ApiKey.mint();

    private static EmbeddedKafkaBroker broker;
    private static QdrantStandIn qdrant;
    private static Path work;
    private final Map<String, FaroProcess> running = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    @BeforeAll
    static void startPlatform() {
        work = TestPostgres.tempDirOthersCanEnter("faro-components-");
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), TestPostgres.freePort());
        qdrant = QdrantStandIn.start();
    }

    @AfterAll
    static void stopPlatform() {
        qdrant.close();
        broker.close();
    }

    @AfterEach
    void stopProcesses() {
        running.values().forEach(FaroProcess::close);
        running.clear();
    }

    @Test
    void shouldServeEachComponentOnlyWhereItIsBoundAndCarryDocumentsThroughThem() throws Exception {
        // given each component in a process of its own, bound to its own loopback address
        Map<String, String> hosts = Map.of("ingest", "127.0.0.2", "sink-pgvector", "127.0.0.3",
                "sink-qdrant", "127.0.0.4", "gateway", "127.0.0.5");
        startAll(hosts::get);

        // then each answers its probes and serves its metrics at its address, and not at 127.0.0.1
        for (String component : COMPONENTS) {
            String host = hosts.get(component);
            awaitReady(host, component);
            assertThat(get(host, component, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(host, component, "/metrics").body()).contains("jvm_memory_used_bytes");
            assertThatThrownBy(() -> get("127.0.0.1", component, "/health/live"))
                    .as("%s must not listen on 127.0.0.1", component).isInstanceOf(ConnectException.class);
        }
        // its lag gauges are registered once every component has started, which can come after it reports ready
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(
                () -> assertThat(get("127.0.0.2", "ingest", "/metrics").body()).contains("group=\"faro-ingest\""));

        // when a document is published
        publish(new Document("harbour", "Harbour", "A harbour shelters ships from storms behind its breakwater.",
                Map.of()));

        // then it flows through ingest and both sinks, and the gateway finds it
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            JsonNode body = Json.mapper().readTree(post("127.0.0.5", "gateway", "/v1/search",
                    "{\"query\": \"where do ships shelter from storms?\", \"top_k\": 1}").body());
            assertThat(body.get("hits").get(0).get("doc_id").asText()).isEqualTo("harbour");
            assertThat(body.get("served_by").asText()).isEqualTo("qdrant");
        });
        assertThat(get("127.0.0.3", "sink-pgvector", "/metrics").body())
                .containsPattern("faro_sink_records_total\\{[^}]*store=\"pgvector\"[^}]*\\} [1-9]");

        // and on SIGTERM each turns not ready first, leaves its group and exits well within 30 s
        FaroProcess gateway = running.get("gateway");
        gateway.terminate();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() ->
                get("127.0.0.5", "gateway", "/health/ready").statusCode() == 503);
        stopWithin(gateway);
        for (String component : List.of("ingest", "sink-pgvector", "sink-qdrant")) {
            FaroProcess process = running.get(component);
            process.terminate();
            stopWithin(process);
            assertThat(process.output()).contains("closed and left the group");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(List.of(
                    KafkaIds.INGEST_APPLICATION_ID, KafkaIds.sinkApplicationId("pgvector"),
                    KafkaIds.sinkApplicationId("qdrant"))).all().get(30, TimeUnit.SECONDS);
            assertThat(groups.values()).allSatisfy(group ->
                    assertThat(group.members()).as("members of %s right after its processes stopped", group.groupId())
                            .isEmpty());
        }
    }

    @Test
    void shouldServeEveryLoopbackAddressWhenBoundToTheWildcard() throws Exception {
        // given every component bound to the wildcard address, as the image does
        startAll(component -> "0.0.0.0");

        // then each answers on any address of the machine
        for (String component : COMPONENTS) {
            awaitReady("127.0.0.1", component);
            assertThat(get("127.0.0.6", component, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get("127.0.0.7", component, "/metrics").statusCode()).isEqualTo(200);
        }

        // and stops cleanly
        for (FaroProcess process : running.values()) {
            process.terminate();
            stopWithin(process);
        }
    }

    private void startAll(java.util.function.Function<String, String> hostOf) {
        for (String component : COMPONENTS) {
            int port = TestPostgres.freePort();
            ports.put(component, port);
            Map<String, String> env = new LinkedHashMap<>(Map.of(
                    FaroConfig.HOME, work.resolve(component).toString(),
                    FaroConfig.KAFKA_BOOTSTRAP, broker.bootstrapServers(),
                    FaroConfig.PG_URL, TestPostgres.url(),
                    FaroConfig.PG_TABLE, "components",
                    FaroConfig.QDRANT_URL, qdrant.url(),
                    FaroConfig.QDRANT_COLLECTION, "components",
                    FaroConfig.HTTP_HOST, hostOf.apply(component),
                    FaroConfig.HTTP_PORT, Integer.toString(port),
                    FaroConfig.METRICS_PORT, Integer.toString(port),
                    FaroConfig.SINK_LINGER_MS, "50"));
            env.put(FaroConfig.TOPIC_PARTITIONS, "2");
            env.put(FaroConfig.INSTANCE_ID, component + "-1");
            if (component.equals("gateway")) {
                env.put(FaroConfig.SHUTDOWN_DELAY_MS, "2000");
                // as the chart runs it: a gateway beyond loopback takes API keys (health and metrics stay open)
                env.put(FaroConfig.API_KEYS_FILE, keysFile().toString());
            }
            running.put(component, FaroProcess.launch(env, work.resolve(component + ".log"), component));
        }
        running.values().forEach(process -> process.awaitRunning(Duration.ofSeconds(120)));
    }

    /** A key file holding {@link #KEY}'s hash. */
    private Path keysFile() {
        try {
            return java.nio.file.Files.writeString(work.resolve("api-keys.jsonl"), io.faro.gateway.auth.ApiKeyFile
                    .line("component-test", KEY, "default", java.util.Set.of(io.faro.gateway.auth.Role.QUERY),
                            java.util.Set.of()) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void awaitReady(String host, String component) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get(host, component, "/health/ready").statusCode() == 200);
    }

    private static void stopWithin(FaroProcess process) {
        long start = System.nanoTime();
        int exit = process.awaitExit(STOP_WITHIN);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("stopped in %d ms after SIGTERM: %s%n", took.toMillis(), process);
        assertThat(took).isLessThan(STOP_WITHIN);
        // 143: the JVM ran its shutdown hook on SIGTERM and ended; anything else is a crash
        assertThat(exit).as("exit code; log:\n%s", process.output()).isIn(0, 143);
        assertThat(process.output()).contains("FARO stopped");
    }

    private void publish(Document document) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), document.id(),
                    Json.mapper().writeValueAsString(document))).get();
        }
    }

    private HttpResponse<String> get(String host, String component, String path) throws IOException,
            InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(host, component, path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String host, String component, String path, String json) throws IOException,
            InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(host, component, path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String host, String component, String path) {
        return URI.create("http://" + host + ":" + ports.get(component) + path);
    }
}
