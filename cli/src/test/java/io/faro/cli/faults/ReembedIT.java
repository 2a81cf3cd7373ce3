package io.faro.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.cli.rebuild.Copies;
import io.faro.cli.reembed.ReembedCommand;
import io.faro.maintenance.reembed.Reembedder;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.EmbeddingModelName;
import io.faro.embedders.onnx.OnnxEmbedder;
import io.faro.core.json.Json;
import io.faro.core.store.StoreCopies;
import io.faro.devstack.testing.TestPostgres;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Moving both stores to another embedding model while documents are published and queries run: no
 * query fails, each store ends up holding the new model's vectors only, for exactly the topic's live
 * set, documents the still-running ingest embeds with the old model arrive in the new one, and a
 * rollback brings the old model back.
 */
class ReembedIT {

    private static final Duration QUIET = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String OLD = EmbeddingModelName.ALL_MINILM_L6_V2.id();
    private static final String NEW = EmbeddingModelName.BGE_SMALL_EN_V15_Q.id();

    private DualStoreFaro env;

    @BeforeEach
    void start() {
        env = DualStoreFaro.start("reembed", Map.of(FaroConfig.EMBEDDING_MODEL, OLD));
        env.publish("before", 12);
        env.assertConsistent(QUIET);
    }

    @AfterEach
    void stop() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void shouldMoveBothStoresToANewModelWhileDocumentsArriveAndQueriesRunThenRollBack() throws Exception {
        // a run killed midway leaves unfinished copies behind and switches nothing
        List<StoreCopies> stores = Copies.all(env.config);
        try {
            Reembedder dying = new Reembedder(env.faro.config().kafka(), stores,
                    OnnxEmbedder.create(EmbeddingModelName.BGE_SMALL_EN_V15_Q), 16, progress -> {
                        throw new IllegalStateException("killed during " + progress.phase());
                    });
            assertThatThrownBy(dying::reembed).hasMessageContaining("killed during re-embed");
        } finally {
            stores.forEach(StoreCopies::close);
        }
        assertThat(env.models()).containsOnly(OLD);

        Traffic traffic = new Traffic();
        String report;
        try {
            report = reembed(NEW, false, false);
        } finally {
            traffic.stop();
        }

        assertThat(report).contains("qdrant: switched from model " + OLD + " to " + NEW)
                .contains("pgvector: switched from model " + OLD + " to " + NEW)
                .contains("Set " + FaroConfig.EMBEDDING_MODEL + "=" + NEW);
        assertThat(traffic.failures.get()).as("failed queries during the re-embedding; the first got %s",
                traffic.firstFailure.get()).isZero();
        assertThat(traffic.queries.get()).isPositive();
        // the unfinished copies of the killed run are gone: one live and one previous collection remain
        assertThat(env.qdrant.collections()).hasSize(2);

        // the ingest still embeds with the old model; the sinks embed its records again with the new one
        env.ids.add(env.publisher.publish("after", "Penguins huddle together through the long antarctic winter."));
        env.assertConsistent(QUIET);
        assertThat(env.models()).containsOnly(NEW);
        JsonNode answer = search("which birds huddle through the antarctic winter?");
        assertThat(answer.get("hits").get(0).get("doc_id").asText()).isEqualTo("after");
        assertThat(answer.get("degraded").asBoolean()).isFalse();

        // rollback: both stores serve the old model's copies again, and queries follow
        reembed(null, true, false);
        assertThat(env.pgvectorView.liveModel()).isEqualTo(OLD);
        assertThat(env.qdrantView.liveModel()).isEqualTo(OLD);
        assertThat(search("what guides ships at night?").get("hits")).isNotEmpty();
        reembed(null, true, false);
        reembed(null, false, true);
        assertThat(env.qdrant.collections()).hasSize(1);
        env.assertConsistent(QUIET);
        assertThat(env.models()).containsOnly(NEW);
    }

    private String reembed(String model, boolean rollback, boolean dropOld) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = ReembedCommand.run(env.config, model, rollback, dropOld,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(ByteArrayOutputStream.nullOutputStream()));
        assertThat(exit).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private JsonNode search(String query) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(env.faro.gatewayUrl() + "/v1/search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(
                        Map.of("query", query, "top_k", 3))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    /** A few documents published, and queries sent without pause, while the stores move. */
    private final class Traffic {
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        /** What the first failed query got, so that a failure says why. */
        final java.util.concurrent.atomic.AtomicReference<String> firstFailure =
                new java.util.concurrent.atomic.AtomicReference<>("none");
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads;

        Traffic() {
            Thread writer = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 8 && running.get(); i++) {
                    env.ids.add(env.publisher.publish("during-" + i, TrackedPublisher.text(i + 100, 2)));
                    int published = i;
                    // paced by what the pipeline has taken in, so the documents spread over the run
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !running.get()
                            || env.checker.liveChunks().values().stream()
                            .anyMatch(e -> e.chunk().docId().equals("during-" + published)));
                }
            });
            Thread reader = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        JsonNode body = search("what guides ships at night?");
                        queries.incrementAndGet();
                        if (body.get("hits").isEmpty()) {
                            failed("no hits: " + body);
                        }
                    } catch (Throwable e) {
                        failed(e.toString());
                    }
                }
            });
            this.threads = List.of(writer, reader);
        }

        private void failed(String what) {
            if (failures.getAndIncrement() == 0) {
                firstFailure.set(what);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }
}
