package io.faro.topology.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.json.JsonSerde;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.topic.Topics;
import io.faro.topology.dlq.DeadLetters;
import io.faro.topology.ingest.IngestTopology;
import io.faro.topology.runtime.Backpressure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embed stage with a model that answers later (a hosted one): batches under way at once, results in the
 * order the batches went out, newer versions and deletions kept behind older ones, and the application
 * paused, not blocked, when everything is under way and more waits.
 */
class PipelinedEmbeddingTest {

    /** A model whose answers the test gives, batch by batch, in any order. */
    static final class LaterEmbedder implements Embedder {
        final List<List<String>> batches = new ArrayList<>();
        final List<CompletableFuture<List<Outcome>>> answers = new ArrayList<>();

        @Override
        public String model() {
            return "openai:later";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<float[]> embedAll(List<String> passages) {
            throw new UnsupportedOperationException("the pipeline must not wait on the model");
        }

        @Override
        public float[] embedQuery(String query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<Outcome>> embedAsync(List<String> passages) {
            batches.add(passages);
            CompletableFuture<List<Outcome>> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        @Override
        public int batchesInFlight() {
            return 2;
        }

        /** Answers batch {@code n}: each text's vector is its length, twice; texts holding "refuse" are refused. */
        void answer(int n) {
            answers.get(n).complete(batches.get(n).stream().map(text -> text.contains("refuse")
                    ? Outcome.refused("HTTP 400: too long")
                    : Outcome.of(new float[] {text.length(), text.length()})).toList());
        }
    }

    /** Records what the backpressure asked of the application. */
    static final class Application implements Backpressure.Pausable {
        final List<String> calls = new ArrayList<>();

        @Override
        public void pause() {
            calls.add("pause");
        }

        @Override
        public void resume() {
            calls.add("resume");
        }
    }

    @TempDir
    Path home;

    private final LaterEmbedder model = new LaterEmbedder();
    private final Application application = new Application();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> documents;
    private TestOutputTopic<String, EmbeddedChunk> embeddings;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void setUp() {
        FaroConfig config = FaroConfig.from(Env.of(Map.of(
                FaroConfig.HOME, home.toString(),
                FaroConfig.EMBED_BATCH_SIZE, "2",
                FaroConfig.EMBED_LINGER_MS, "50")));
        Backpressure backpressure = new Backpressure();
        backpressure.bind(application);
        driver = new TopologyTestDriver(IngestTopology.build(config, model, backpressure, meters, java.util.Optional.empty()),
                IngestTopology.streamsConfig(config));
        documents = driver.createInputTopic(Topics.DOCUMENTS.name(), new ByteArraySerializer(), new ByteArraySerializer());
        embeddings = driver.createOutputTopic(Topics.EMBEDDINGS.name(), new StringDeserializer(),
                JsonSerde.of(EmbeddedChunk.class).deserializer());
        dlq = driver.createOutputTopic(Topics.DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void publish(String id, String text) {
        documents.pipeInput(id.getBytes(StandardCharsets.UTF_8),
                ("{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private void delete(String id) {
        documents.pipeInput(id.getBytes(StandardCharsets.UTF_8), (byte[]) null);
    }

    /** A punctuation: the stream thread's next look at what came back. */
    private void tick() {
        driver.advanceWallClockTime(Duration.ofMillis(60));
    }

    private List<String> forwarded() {
        return embeddings.readRecordsToList().stream()
                .map(r -> r.key() + (r.value() == null ? " deleted" : " " + r.value().chunk().text())).toList();
    }

    @Test
    void shouldKeepTwoBatchesUnderWayAndForwardThemInTheOrderTheyWentOut() {
        publish("a", "alpha");
        publish("b", "bravo");
        publish("c", "charlie");
        publish("d", "delta");

        // the model reads each chunk with its context line: the document's title (here its id) above the text
        assertThat(model.batches).containsExactly(List.of("a\n\nalpha", "b\n\nbravo"),
                List.of("c\n\ncharlie", "d\n\ndelta"));
        model.answer(1);
        tick();
        assertThat(forwarded()).as("the second batch waits for the first").isEmpty();

        model.answer(0);
        tick();
        assertThat(forwarded()).containsExactly("a#0 alpha", "b#0 bravo", "c#0 charlie", "d#0 delta");
        assertThat(application.calls).isEmpty();
    }

    @Test
    void shouldCountTheModelBusyOnceWhileTwoBatchesAreWithItAtOnce() {
        // given two batches with the model at once
        publish("a", "alpha");
        publish("b", "bravo");
        publish("c", "charlie");
        publish("d", "delta");
        assertThat(model.batches).hasSize(2);

        // when the first is answered after the second went out
        model.answer(0);
        model.answer(1);
        tick();

        // then the busy time counts their common time once: less than the two batches' times added up
        assertThat(forwarded()).hasSize(4);
        double busy = meters.get(MetricNames.EMBED_BUSY_SECONDS).counter().count();
        double batches = meters.get(MetricNames.EMBED_BATCH_SECONDS).timer().totalTime(TimeUnit.SECONDS);
        assertThat(busy).isPositive().isLessThan(batches);
    }

    @Test
    void shouldForwardANewerVersionAndADeletionAfterTheVersionUnderWay() {
        publish("a", "alpha");
        publish("b", "bravo");
        publish("a", "alpha again");
        delete("b");
        tick();

        assertThat(model.batches).containsExactly(List.of("a\n\nalpha", "b\n\nbravo"), List.of("a\n\nalpha again"));
        model.answer(1);
        model.answer(0);
        tick();

        assertThat(forwarded()).containsExactly("a#0 alpha", "b#0 bravo", "a#0 alpha again", "b#0 deleted");
        // nothing is left waiting: the next chunk goes out as a batch of its own once it has lingered
        publish("c", "charlie");
        tick();
        assertThat(model.batches).hasSize(3).last().isEqualTo(List.of("c\n\ncharlie"));
    }

    @Test
    void shouldPauseTheApplicationRatherThanBlockWhenEveryBatchIsUnderWayAndMoreWait() {
        // two batches under way, and a round of two more waiting: the eighth chunk pauses the application
        for (String id : List.of("a", "b", "c", "d", "e", "f", "g")) {
            publish(id, "text of " + id);
        }
        assertThat(application.calls).as("one round may wait").isEmpty();
        publish("h", "text of h");

        assertThat(model.batches).hasSize(2);
        assertThat(application.calls).containsExactly("pause");

        model.answer(0);
        assertThat(application.calls).as("the oldest batch is back").containsExactly("pause", "resume");
        tick();
        assertThat(model.batches).as("a waiting batch went out").hasSize(3);
        model.answer(1);
        model.answer(2);
        tick();
        model.answer(3);
        tick();
        assertThat(forwarded()).hasSize(8);
    }

    @Test
    void shouldDeadLetterOnlyTheChunkTheModelRefusedWithItsReason() {
        publish("a", "alpha");
        publish("b", "please refuse me");
        model.answer(0);
        tick();

        assertThat(forwarded()).containsExactly("a#0 alpha");
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("b#0");
            assertThat(new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .contains("HTTP 400: too long");
        });
    }
}
