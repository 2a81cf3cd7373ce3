package io.faro.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.core.config.FaroConfig;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.store.VectorStore;
import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.devstack.testing.TestPostgres;
import io.faro.stores.pgvector.PgVectorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas of a component share its work by partitions, and a replica that joins or dies while documents
 * flow loses nothing and stores nothing twice: two ingest and two pgvector sink processes run from the
 * distribution; while documents are published (and some published again), a third sink joins and an ingest
 * replica is killed with SIGKILL. The store then holds exactly the embeddings topic's live chunks, each at
 * its latest version, and every sink replica has partitions of its own.
 */
class ReplicaScalingIT {

    private static final Duration QUIET = Duration.ofSeconds(180);
    private static final String TABLE = "scaling_chunks";
    private static final int PARTITIONS = 4;
    private static final int DOCUMENTS = 48;

    private Path work;
    private EmbeddedKafkaBroker broker;
    private Map<String, String> env;
    private VectorStore pgvectorView;
    private TrackedPublisher publisher;
    private StoreChecker checker;
    private final Map<String, FaroProcess> replicas = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        work = TestPostgres.tempDirOthersCanEnter("faro-scaling-");
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), TestPostgres.freePort());
        // A killed replica's partitions wait one session timeout for it (static membership); keep that short.
        Path kafkaProperties = Files.writeString(work.resolve("kafka.properties"),
                "session.timeout.ms=10000\nheartbeat.interval.ms=2000\n");
        env = new HashMap<>(Map.of(
                FaroConfig.KAFKA_BOOTSTRAP, broker.bootstrapServers(),
                FaroConfig.KAFKA_PROPERTIES_FILE, kafkaProperties.toString(),
                FaroConfig.PG_URL, TestPostgres.url(),
                FaroConfig.PG_TABLE, TABLE,
                FaroConfig.METRICS_PORT, "0",
                FaroConfig.TOPIC_PARTITIONS, Integer.toString(PARTITIONS),
                FaroConfig.SINK_LINGER_MS, "50",
                FaroConfig.SINK_BATCH_SIZE, "8",
                FaroConfig.EMBED_BATCH_SIZE, "8",
                FaroConfig.CHUNK_SIZE_TOKENS, "32"));
        env.put(FaroConfig.CHUNK_OVERLAP_TOKENS, "0");
        FaroConfig defaults = FaroConfig.from(io.faro.core.config.Env.of(Map.of()));
        pgvectorView = PgVectorStore.open(TestPostgres.url(), TABLE, defaults.embedding().model(),
                defaults.embedding().dimension());
        publisher = new TrackedPublisher(broker.bootstrapServers());
        checker = new StoreChecker(broker.bootstrapServers());
    }

    @AfterEach
    void stop() {
        replicas.values().forEach(FaroProcess::close);
        for (AutoCloseable closeable : new AutoCloseable[] {publisher, pgvectorView, broker}) {
            try {
                closeable.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @Test
    void shouldLoseAndDuplicateNothingWhenReplicasJoinAndDieWhileDocumentsFlow() throws Exception {
        // given two replicas of ingest and two of the pgvector sink
        startReplicas(List.of("ingest-1", "ingest-2", "sink-1", "sink-2"));
        Set<String> ids = ConcurrentHashMap.newKeySet();

        // when documents flow, some published twice, each once the pipeline has taken in the one before, so that
        // the flow spans the join and the death below
        CompletableFuture<Void> flow = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < DOCUMENTS; i++) {
                String id = publisher.publish("scale-" + i, TrackedPublisher.text(i, 4));
                ids.add(id);
                if (i % 6 == 5) {
                    publisher.publish("scale-" + (i - 3), TrackedPublisher.text(i + 100, 3));
                }
                await().atMost(QUIET).pollInterval(Duration.ofMillis(100)).until(() -> checker.liveChunks().values()
                        .stream().anyMatch(embedded -> embedded.chunk().docId().equals(id)));
            }
        });
        await().atMost(QUIET).pollInterval(Duration.ofMillis(100)).until(() -> pgvectorView.count() > 0);

        // and, meanwhile, a third sink joins and an ingest replica dies abruptly
        startReplicas(List.of("sink-3"));
        replicas.remove("ingest-1").kill();
        flow.get(QUIET.toSeconds(), TimeUnit.SECONDS);

        // then the store holds exactly the topic's live chunks, each at its latest version
        List<String> differences = checker.awaitAgreement(List.of(pgvectorView), ids, publisher::isSettled, QUIET);
        assertThat(differences).as("differences between the embeddings topic and pgvector").isEmpty();

        // and the work is shared by partitions among the replicas alive
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(List.of(
                        KafkaIds.INGEST_APPLICATION_ID, KafkaIds.sinkApplicationId("pgvector")))
                        .all().get(30, TimeUnit.SECONDS);
                ConsumerGroupDescription sinks = groups.get(KafkaIds.sinkApplicationId("pgvector"));
                assertThat(sinks.members()).hasSize(3)
                        .allSatisfy(member -> assertThat(member.assignment().topicPartitions()).isNotEmpty());
                ConsumerGroupDescription ingest = groups.get(KafkaIds.INGEST_APPLICATION_ID);
                assertThat(ingest.members()).hasSize(1);
                assertThat(ingest.members().iterator().next().assignment().topicPartitions()
                        .stream().filter(tp -> tp.topic().equals("faro.documents"))).hasSize(PARTITIONS);
            });
        }
        assertThat(replicas.values()).allMatch(FaroProcess::isAlive);
    }

    /** Starts the replicas at once (each a process with its own instance id and state) and waits until they run. */
    private void startReplicas(List<String> names) {
        for (String name : names) {
            Map<String, String> own = new HashMap<>(env);
            own.put(FaroConfig.HOME, work.resolve(name).toString());
            own.put(FaroConfig.INSTANCE_ID, name);
            String component = name.startsWith("ingest") ? "ingest" : "sink-pgvector";
            replicas.put(name, FaroProcess.launch(own, work.resolve(name + ".log"), component));
        }
        names.forEach(name -> replicas.get(name).awaitRunning(Duration.ofSeconds(120)));
    }
}
