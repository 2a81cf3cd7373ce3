package io.faro.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.cli.rebuild.RebuildCommand;
import io.faro.cli.up.FaroRuntime;
import io.faro.connectors.rebuild.Rebuilder;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.json.Json;
import io.faro.core.store.VectorStore;
import io.faro.core.store.pgvector.PgCopies;
import io.faro.core.store.pgvector.PgVectorStore;
import io.faro.core.store.qdrant.QdrantStore;
import io.faro.core.testing.TestPostgres;
import io.faro.core.testing.qdrant.QdrantStandIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rebuilding a store from the embeddings topic while documents are published and queries run: no
 * query fails, the new copy equals the topic's live set, the old copy stays for rollback.
 */
class RebuildIT {

    private static final Duration QUIET = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private QdrantStandIn qdrant;
    private FaroConfig config;
    private FaroRuntime faro;
    private VectorStore pgvectorView;
    private VectorStore qdrantView;
    private TrackedPublisher publisher;
    private StoreChecker checker;
    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() {
        qdrant = QdrantStandIn.start();
        String table = "rebuild_" + (System.nanoTime() % 100_000);
        config = FaroConfig.from(Env.of(Map.ofEntries(
                Map.entry(FaroConfig.HOME, TestPostgres.tempDirOthersCanEnter("faro-rebuild-").toString()),
                Map.entry(FaroConfig.KAFKA_PORT, Integer.toString(TestPostgres.freePort())),
                Map.entry(FaroConfig.HTTP_PORT, "0"),
                Map.entry(FaroConfig.PG_URL, TestPostgres.url()),
                Map.entry(FaroConfig.PG_TABLE, table),
                Map.entry(FaroConfig.QDRANT_URL, qdrant.url()),
                Map.entry(FaroConfig.QDRANT_COLLECTION, table),
                Map.entry(FaroConfig.SINK_LINGER_MS, "50"),
                Map.entry(FaroConfig.CHUNK_SIZE_TOKENS, "32"),
                Map.entry(FaroConfig.CHUNK_OVERLAP_TOKENS, "0"),
                Map.entry(FaroConfig.TOPIC_PARTITIONS, "2"))));
        faro = FaroRuntime.start(config);
        String model = config.embeddingModel().id();
        int dimension = config.embeddingModel().dimension();
        pgvectorView = PgVectorStore.open(TestPostgres.url(), table, model, dimension);
        qdrantView = QdrantStore.open(qdrant.url(), Optional.empty(), table, model, dimension, Duration.ofSeconds(2));
        publisher = new TrackedPublisher(faro.bootstrapServers());
        checker = new StoreChecker(faro.bootstrapServers());
        for (int i = 0; i < 15; i++) {
            ids.add(publisher.publish("before-" + i, TrackedPublisher.text(i, 3)));
        }
        assertConsistent();
    }

    @AfterEach
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {publisher, pgvectorView, qdrantView, faro, qdrant}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    private void assertConsistent() {
        assertThat(checker.awaitAgreement(List.of(pgvectorView, qdrantView), ids, publisher::isSettled, QUIET))
                .as("differences between the embeddings topic and the stores").isEmpty();
    }

    @Test
    void shouldRebuildQdrantWhileDocumentsArriveAndQueriesRunThenRollBack() throws Exception {
        String oldCollection = qdrant.aliases().get(config.qdrant().orElseThrow().collection());

        Traffic traffic = Traffic.start(this);
        String report;
        try {
            report = rebuild("qdrant", false, false);
        } finally {
            traffic.stop();
        }

        assertThat(report).contains("qdrant: rebuilt").contains("previous copy " + oldCollection + " kept");
        assertThat(traffic.failures.get()).as("failed queries during the rebuild").isZero();
        assertThat(traffic.queries.get()).isPositive();
        assertConsistent();
        String alias = config.qdrant().orElseThrow().collection();
        assertThat(qdrant.aliases().get(alias)).isNotEqualTo(oldCollection);
        assertThat(qdrant.aliases().get(alias + "__previous")).isEqualTo(oldCollection);
        assertThat(qdrant.pointIds(oldCollection)).isNotEmpty();

        // rollback serves the old collection again
        rebuild("qdrant", true, false);
        assertThat(qdrant.aliases().get(alias)).isEqualTo(oldCollection);
        rebuild("qdrant", true, false);
        rebuild("qdrant", false, true);
        assertThat(qdrant.collections()).doesNotContain(oldCollection);
        assertConsistent();
    }

    @Test
    void shouldRebuildPgvectorWhileDocumentsArriveAndQueriesRun() throws Exception {
        Traffic traffic = Traffic.start(this);
        try {
            rebuild("pgvector", false, false);
        } finally {
            traffic.stop();
        }

        assertThat(traffic.failures.get()).as("failed queries during the rebuild").isZero();
        assertConsistent();
        try (PgCopies copies = PgCopies.open(TestPostgres.url(), config.pgTable())) {
            assertThat(copies.previous()).contains(config.pgTable() + "__previous");
        }
    }

    @Test
    void shouldConvergeWhenARebuildDiesMidwayAndRunsAgain() {
        try (PgCopies copies = PgCopies.open(TestPostgres.url(), config.pgTable())) {
            Rebuilder dying = new Rebuilder(faro.bootstrapServers(), copies, new Embedders(), progress -> {
                        throw new IllegalStateException("killed during " + progress.phase());
                    });
            assertThatThrownBy(dying::rebuild).hasMessageContaining("killed during replay");
            assertThat(copies.previous()).isEmpty();
        }

        rebuild("pgvector", false, false);
        rebuild("pgvector", false, false);

        assertConsistent();
    }

    private String rebuild(String store, boolean rollback, boolean dropOld) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = RebuildCommand.run(config, store, rollback, dropOld,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(ByteArrayOutputStream.nullOutputStream()));
        assertThat(exit).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Documents published and queries sent in the background while a rebuild runs. */
    private static final class Traffic {
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads;

        private Traffic(RebuildIT test) {
            Thread writer = Thread.ofVirtual().start(() -> {
                for (int i = 0; running.get(); i++) {
                    // each publication waits for the broker's acknowledgement, which paces the writer
                    test.ids.add(test.publisher.publish("during-" + i, TrackedPublisher.text(i + 100, 2)));
                }
            });
            Thread reader = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                        URI.create(test.faro.gatewayUrl() + "/v1/search"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(
                                        Map.of("query", "what guides ships at night?", "top_k", 3))))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        queries.incrementAndGet();
                        if (response.statusCode() != 200 || Json.mapper().readTree(response.body()).get("hits").isEmpty()) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            });
            this.threads = List.of(writer, reader);
        }

        static Traffic start(RebuildIT test) {
            return new Traffic(test);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }
}
