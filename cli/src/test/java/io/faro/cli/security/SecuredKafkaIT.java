package io.faro.cli.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.cli.faults.FaroProcess;
import io.faro.core.Component;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.Json;
import io.faro.core.json.JsonSerde;
import io.faro.core.model.Document;
import io.faro.core.topic.Topics;
import io.faro.devstack.testing.SecuredKafka;
import io.faro.devstack.testing.TestPostgres;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * FARO against a Kafka secured as Strimzi secures it ({@link SecuredKafka}), every process configured by
 * environment variables pointing at Strimzi's files alone. With SCRAM over TLS each component runs in its
 * own process, as each is its own Deployment; with each of the other ways one process runs them all. A
 * document published through a producer of each way becomes searchable through that way's gateway; a wrong
 * credential or certificate stops start-up with a message naming the variable to fix; and no password or
 * private key appears in any output, error message or metric.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredKafkaIT {

    private static final Duration STARTUP = Duration.ofSeconds(150);
    private static final Duration SEARCHABLE = Duration.ofSeconds(60);
    private static final String TABLE = "secured_chunks";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Kafka's client configs logged at INFO, so that the secret search sees them; a light JIT for short lives. */
    private static final List<String> JVM_OPTIONS = List.of("-Dlogback.configurationFile="
            + java.nio.file.Path.of("target", "test-classes", "logback-kafka-info.xml").toAbsolutePath(),
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** A started {@code faro run}: its name, and the port of its health (the gateway's, or the management port). */
    private record Running(String name, FaroProcess process, int port) {
    }

    private static Path work;
    private static SecuredKafka kafka;
    private static QdrantStandIn qdrant;
    private static final List<Running> running = new ArrayList<>();
    private static final Map<Way, Integer> gateways = new EnumMap<>(Way.class);
    private static final Map<Refusal, FaroProcess> refused = new EnumMap<>(Refusal.class);

    @BeforeAll
    static void start() {
        work = TestPostgres.tempDirOthersCanEnter("faro-secured-");
        CompletableFuture<String> postgres = CompletableFuture.supplyAsync(TestPostgres::url);
        kafka = SecuredKafka.start(work.resolve("kafka"));
        qdrant = QdrantStandIn.start();
        postgres.join();
        // The processes start at once; the ones that must fail are quickest.
        for (Refusal refusal : Refusal.values()) {
            Map<String, String> env = env(refusal.variables(kafka, work.resolve(refusal.id())), refusal.id());
            refused.put(refusal, FaroProcess.launch(JVM_OPTIONS, env, work.resolve(refusal.id() + ".log"),
                    refusal.component.id()));
        }
        for (Component component : Component.values()) {
            Running started = launch(Way.SCRAM_OVER_TLS, component.id(), component);
            if (component == Component.GATEWAY) {
                gateways.put(Way.SCRAM_OVER_TLS, started.port());
            }
        }
        for (Way way : List.of(Way.MTLS_USER_P12, Way.MTLS_USER_PEM, Way.PKCS12_STORES)) {
            gateways.put(way, launch(way, "all", Component.values()).port());
        }
        running.forEach(process -> process.process().awaitRunning(STARTUP));
    }

    @AfterAll
    static void stop() {
        // all at once: each stops its stream applications cleanly, which takes a few seconds
        try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            running.forEach(process -> stopping.submit(process.process()::close));
            refused.values().forEach(process -> stopping.submit(process::close));
        }
        for (AutoCloseable closeable : new AutoCloseable[] {kafka, qdrant}) {
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
    @Order(1)
    void shouldReportEveryComponentReadyOnItsOwnPortWithEachWay() {
        // given every process of every way started

        // when each is asked whether it is ready
        // then each is, on its own port (a check may still be settling just after start-up)
        assertThat(running).hasSize(4 + 3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> answers = new LinkedHashMap<>();
            running.forEach(process -> {
                HttpResponse<String> ready = get(process.port(), "/health/ready");
                answers.put(process.name(), ready.statusCode() + " " + ready.body());
            });
            assertThat(answers).allSatisfy((name, answer) -> assertThat(answer).as(name).startsWith("200 "));
        });
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    @Order(2)
    void shouldMakeADocumentPublishedThroughEachWaySearchableThroughItsGateway(Way way) throws Exception {
        // given a document
        Document document = new Document("secured-" + way.id(), "Secured " + way.id(),
                "The keeper of the " + way.id() + " lighthouse wound the clockwork that turned the lens at dusk.",
                Map.of());

        // when it is published through a producer configured by that way's variables alone
        publish(way, document);

        // then that way's gateway finds it
        await().atMost(SEARCHABLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode answer = search(gateways.get(way), document.text());
            assertThat(answer.get("hits")).extracting(hit -> hit.get("doc_id").asText()).first()
                    .isEqualTo(document.id());
        });
    }

    @ParameterizedTest
    @EnumSource(Refusal.class)
    @Order(3)
    void shouldRefuseToStartNamingTheVariableToFix(Refusal refusal) {
        // given a process started with one credential or certificate wrong
        FaroProcess process = refused.get(refusal);

        // when it gives up
        int exit = process.awaitExit(STARTUP);

        // then it says what to fix, and runs nothing
        assertThat(exit).as(process.output()).isNotZero();
        assertThat(process.output()).contains("faro: ").contains(refusal.variable).contains(refusal.complaint)
                .doesNotContain("FARO is running");
    }

    @Test
    @Order(4)
    void shouldNeverPrintAPasswordOrAPrivateKey() {
        // given every process's output, the refused ones' error messages included, and every metric
        refused.values().forEach(process -> process.awaitExit(STARTUP));
        Map<String, String> outputs = new LinkedHashMap<>();
        running.forEach(process -> {
            outputs.put(process.name(), process.process().output());
            outputs.put(process.name() + " /metrics", get(process.port(), "/metrics").body());
        });
        refused.forEach((refusal, process) -> outputs.put(refusal.id(), process.output()));
        String all = String.join("\n", outputs.values());
        // (Kafka did log its clients' configs, with the values it knows to be secret hidden)
        assertThat(all).contains("sasl.jaas.config = [hidden]", "ssl.keystore.key = [hidden]",
                "ssl.keystore.password = [hidden]", "ssl.truststore.password = [hidden]", "security.protocol = SASL_SSL",
                "security.protocol = SSL");

        // when they are searched for every password and every line of every private key's body
        List<String> secrets = kafka.secrets();
        List<String> leaks = new ArrayList<>();
        outputs.forEach((name, output) -> {
            for (int i = 0; i < secrets.size(); i++) {
                if (output.contains(secrets.get(i))) {
                    leaks.add(name + " holds secret #" + i);
                }
            }
        });

        // then none is found
        assertThat(secrets).hasSizeGreaterThan(10);
        assertThat(leaks).isEmpty();
    }

    private static Running launch(Way way, String name, Component... components) {
        String id = way.id() + "-" + name;
        Map<String, String> env = env(way.variables(kafka), id);
        int port = Arrays.asList(components).contains(Component.GATEWAY)
                ? Integer.parseInt(env.get(FaroConfig.HTTP_PORT)) : Integer.parseInt(env.get(FaroConfig.METRICS_PORT));
        FaroProcess process = FaroProcess.launch(JVM_OPTIONS, env, work.resolve(id + ".log"),
                Arrays.stream(components).map(Component::id).toArray(String[]::new));
        Running started = new Running(id, process, port);
        running.add(started);
        return started;
    }

    /** A process's environment: the Kafka variables, and its own home, name in groups and ports. */
    private static Map<String, String> env(Map<String, String> kafkaVariables, String id) {
        Map<String, String> env = new HashMap<>(kafkaVariables);
        env.put(FaroConfig.HOME, work.resolve(id).toString());
        env.put(FaroConfig.INSTANCE_ID, id);
        env.put(FaroConfig.HTTP_PORT, Integer.toString(TestPostgres.freePort()));
        env.put(FaroConfig.METRICS_PORT, Integer.toString(TestPostgres.freePort()));
        env.put(FaroConfig.PG_URL, TestPostgres.url());
        env.put(FaroConfig.PG_TABLE, TABLE);
        env.put(FaroConfig.QDRANT_URL, qdrant.url());
        env.put(FaroConfig.QDRANT_COLLECTION, TABLE);
        env.put(FaroConfig.TOPIC_PARTITIONS, "1");
        env.put(FaroConfig.SINK_LINGER_MS, "50");
        return env;
    }

    private static void publish(Way way, Document document) throws Exception {
        FaroConfig config = FaroConfig.from(Env.of(way.variables(kafka)));
        try (KafkaProducer<String, Document> producer = new KafkaProducer<>(config.kafka().clientProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), JsonSerde.of(Document.class).serializer())) {
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), document.id(), document)).get(30, TimeUnit.SECONDS);
        }
    }

    private static JsonNode search(int port, String query) throws Exception {
        String body = Json.mapper().writeValueAsString(Map.of("query", query, "top_k", 3));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/v1/search")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new AssertionError("GET " + path + " on port " + port + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
