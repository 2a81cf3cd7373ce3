package io.faro.cli.faults;

import io.faro.embedders.EmbedderFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.cli.rebuild.RebuildCommand;
import io.faro.maintenance.rebuild.Rebuilder;
import io.faro.core.embed.Embedders;
import io.faro.core.json.Json;
import io.faro.stores.pgvector.PgCopies;
import io.faro.devstack.testing.TestPostgres;
import io.faro.core.topic.Topics;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
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

    private DualStoreFaro env;

    @BeforeEach
    void start() {
        env = DualStoreFaro.start("rebuild", Map.of());
        env.publish("before", 15);
        env.assertConsistent(QUIET);
    }

    @AfterEach
    void stop() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void shouldRebuildQdrantWhileDocumentsArriveAndQueriesRunThenRollBack() throws Exception {
        String oldCollection = env.qdrant.aliases().get(env.config.qdrant().orElseThrow().collection());

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
        env.assertConsistent(QUIET);
        String alias = env.config.qdrant().orElseThrow().collection();
        assertThat(env.qdrant.aliases().get(alias)).isNotEqualTo(oldCollection);
        assertThat(env.qdrant.aliases().get(alias + "__previous")).isEqualTo(oldCollection);
        assertThat(env.qdrant.pointIds(oldCollection)).isNotEmpty();

        // rollback serves the old collection again
        rebuild("qdrant", true, false);
        assertThat(env.qdrant.aliases().get(alias)).isEqualTo(oldCollection);
        rebuild("qdrant", true, false);
        rebuild("qdrant", false, true);
        assertThat(env.qdrant.collections()).doesNotContain(oldCollection);
        env.assertConsistent(QUIET);
    }

    @Test
    void shouldRebuildPgvectorWhileDocumentsArriveAndQueriesRun() throws Exception {
        // a record on faro.embeddings that is no embedding: the sinks dead-letter it; a rebuild must skip it too
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.faro.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.EMBEDDINGS.name(), "poison#0",
                    "{\"chunk\":{\"chunk_id\":\"poison#0\"},\"model\":\"all-minilm-l6-v2\"}")).get();
        }
        Traffic traffic = Traffic.start(this);
        try {
            rebuild("pgvector", false, false);
        } finally {
            traffic.stop();
        }

        assertThat(traffic.failures.get()).as("failed queries during the rebuild").isZero();
        env.assertConsistent(QUIET);
        try (PgCopies copies = PgCopies.open(io.faro.core.config.FaroConfig.PgSettings.of(TestPostgres.url(), env.config.pg().table()))) {
            assertThat(copies.previous()).contains(env.config.pg().table() + "__previous");
        }
    }

    @Test
    void shouldConvergeWhenARebuildDiesMidwayAndRunsAgain() {
        try (PgCopies copies = PgCopies.open(io.faro.core.config.FaroConfig.PgSettings.of(TestPostgres.url(), env.config.pg().table()))) {
            Rebuilder dying = new Rebuilder(env.faro.config().kafka(), copies, EmbedderFactory.embedders(env.faro.config(), new SimpleMeterRegistry()), progress -> {
                        throw new IllegalStateException("killed during " + progress.phase());
                    });
            assertThatThrownBy(dying::rebuild).hasMessageContaining("killed during replay");
            assertThat(copies.previous()).isEmpty();
        }

        rebuild("pgvector", false, false);
        rebuild("pgvector", false, false);

        env.assertConsistent(QUIET);
    }

    private String rebuild(String store, boolean rollback, boolean dropOld) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = RebuildCommand.run(env.config, store, rollback, dropOld,
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
                    test.env.ids.add(test.env.publisher.publish("during-" + i, TrackedPublisher.text(i + 100, 2)));
                }
            });
            Thread reader = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                        URI.create(test.env.faro.gatewayUrl() + "/v1/search"))
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
