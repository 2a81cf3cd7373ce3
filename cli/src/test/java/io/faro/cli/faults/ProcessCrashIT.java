package io.faro.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.EmbeddingModelName;
import io.faro.core.store.VectorStore;
import io.faro.stores.pgvector.PgVectorStore;
import io.faro.stores.qdrant.QdrantStore;
import io.faro.devstack.testing.TestPostgres;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The topology and the sinks run in processes of their own and are killed abruptly (SIGKILL) while
 * they work: the topology mid-batch, a sink between its store writes and its commits. Restarted, they
 * converge to exactly the embeddings topic's live chunks in both stores.
 */
class ProcessCrashIT {

    private static final Duration QUIET = Duration.ofSeconds(120);
    private static final String TABLE = "crash_chunks";
    private static final String ALIAS = "crash_chunks";

    private EmbeddedKafkaBroker broker;
    private QdrantStandIn qdrant;
    private Path work;
    private Map<String, String> env;
    private VectorStore pgvectorView;
    private VectorStore qdrantView;
    private TrackedPublisher publisher;
    private StoreChecker checker;
    private FaroProcess ingest;
    private FaroProcess sinks;

    @BeforeEach
    void start() {
        work = TestPostgres.tempDirOthersCanEnter("faro-crash-");
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), TestPostgres.freePort());
        qdrant = QdrantStandIn.start();
        env = new HashMap<>(Map.of(
                FaroConfig.KAFKA_BOOTSTRAP, broker.bootstrapServers(),
                FaroConfig.PG_URL, TestPostgres.url(),
                FaroConfig.PG_TABLE, TABLE,
                FaroConfig.QDRANT_URL, qdrant.url(),
                FaroConfig.QDRANT_COLLECTION, ALIAS,
                FaroConfig.QDRANT_TIMEOUT_MS, "2000",
                FaroConfig.SINK_LINGER_MS, "50",
                FaroConfig.SINK_BATCH_SIZE, "8",
                FaroConfig.EMBED_BATCH_SIZE, "8",
                FaroConfig.TOPIC_PARTITIONS, "2"));
        env.put(FaroConfig.METRICS_PORT, "0");
        env.put(FaroConfig.CHUNK_SIZE_TOKENS, "32");
        env.put(FaroConfig.CHUNK_OVERLAP_TOKENS, "0");
        EmbeddingModelName model = FaroConfig.DEFAULT_EMBEDDING_MODEL;
        pgvectorView = PgVectorStore.open(TestPostgres.url(), TABLE, model.id(), model.dimension());
        qdrantView = QdrantStore.open(qdrant.url(), Optional.empty(), ALIAS, model.id(), model.dimension(),
                Duration.ofSeconds(2));
        publisher = new TrackedPublisher(broker.bootstrapServers());
        checker = new StoreChecker(broker.bootstrapServers());
    }

    @AfterEach
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {ingest, sinks, publisher, pgvectorView, qdrantView, broker,
                qdrant}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    private FaroProcess run(String name, String... components) {
        Map<String, String> withHome = new HashMap<>(env);
        withHome.put(FaroConfig.HOME, work.resolve(name).toString());
        return FaroProcess.start(withHome, work.resolve(name + ".log"), components);
    }

    @Test
    void shouldConvergeAfterTopologyAndSinksAreKilledMidWork() {
        sinks = run("sinks", "sink-pgvector", "sink-qdrant");
        ingest = run("ingest", "ingest");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            ids.add(publisher.publish("crash-" + i, TrackedPublisher.text(i, 4)));
        }

        // the topology dies mid-batch: some embeddings are out, others are not
        await().atMost(QUIET).pollInterval(Duration.ofMillis(100)).until(() -> !checker.liveChunks().isEmpty());
        ingest.kill();
        int embeddedBeforeRestart = checker.liveChunks().size();
        ingest = run("ingest", "ingest");

        // the sinks die while they write: some rows are in, others are not
        await().atMost(QUIET).pollInterval(Duration.ofMillis(100)).until(() -> pgvectorView.count() > 0);
        sinks.kill();
        sinks = run("sinks", "sink-pgvector", "sink-qdrant");

        List<String> differences = checker.awaitAgreement(List.of(pgvectorView, qdrantView), ids,
                publisher::isSettled, QUIET);
        assertThat(differences).as("differences between the embeddings topic and the stores").isEmpty();
        assertThat(checker.liveChunks().size()).isGreaterThan(embeddedBeforeRestart);
    }
}
