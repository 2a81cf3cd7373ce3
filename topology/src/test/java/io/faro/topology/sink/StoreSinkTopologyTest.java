package io.faro.topology.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.embed.Embedders;
import io.faro.core.json.JsonSerde;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.testing.InMemoryVectorStore;
import io.faro.core.topic.Topics;
import io.faro.topology.dlq.DeadLetters;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSinkTopologyTest {

    @TempDir
    Path home;

    private final InMemoryVectorStore store = new InMemoryVectorStore("test-store");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Embedders embedders = new Embedders(model -> new ConstantEmbedder(model, 0.5f));
    /**
     * Where the sink writes its batches: at once, in place, unless a test holds them ({@link #holdWrites()}), so
     * that a batch is under way while the stream thread goes on.
     */
    private final HeldWrites writer = new HeldWrites();
    private TopologyTestDriver driver;
    private TestInputTopic<String, EmbeddedChunk> embeddings;
    private TestInputTopic<String, String> raw;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void setUp() {
        FaroConfig config = FaroConfig.from(Env.of(Map.of(
                FaroConfig.HOME, home.toString(),
                FaroConfig.SINK_BATCH_SIZE, "3",
                FaroConfig.SINK_LINGER_MS, "100")));
        driver = new TopologyTestDriver(StoreSinkTopology.build(config, store, embedders, meters, writer),
                StoreSinkTopology.streamsConfig(config, store));
        embeddings = driver.createInputTopic(Topics.EMBEDDINGS.name(), new StringSerializer(),
                JsonSerde.of(EmbeddedChunk.class).serializer());
        raw = driver.createInputTopic(Topics.EMBEDDINGS.name(), new StringSerializer(), new StringSerializer());
        dlq = driver.createOutputTopic(Topics.DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    /** Runs each write in place, or, once held, keeps it until the test releases it. */
    private static final class HeldWrites implements Executor {
        private final Deque<Runnable> held = new ArrayDeque<>();
        private boolean holding;

        @Override
        public synchronized void execute(Runnable write) {
            if (holding) {
                held.add(write);
            } else {
                write.run();
            }
        }

        synchronized void hold() {
            holding = true;
        }

        synchronized int waiting() {
            return held.size();
        }

        /** Runs the oldest write held, here. */
        void releaseOne() {
            Runnable write;
            synchronized (this) {
                write = held.removeFirst();
            }
            write.run();
        }
    }

    private void holdWrites() {
        writer.hold();
    }

    private static EmbeddedChunk embedding(String chunkId, float value) {
        Chunk chunk = new Chunk(chunkId, "doc", 1L, 0, "t", "text " + chunkId, Map.of());
        return new EmbeddedChunk(chunk, "m", 2, new float[] {value, 1f});
    }

    /** Embeds every text as the same vector, under its model's name. */
    private record ConstantEmbedder(String model, float value) implements Embedder {
        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<float[]> embedAll(List<String> passages) {
            return passages.stream().map(text -> new float[] {value, 1f}).toList();
        }

        @Override
        public float[] embedQuery(String query) {
            return new float[] {value, 1f};
        }
    }

    @Test
    void shouldReembedRecordsOfAModelTheStoreNoLongerHoldsInsteadOfMixingOrDroppingThem() {
        embeddings.pipeInput("c1", embedding("c1", 1));
        driver.advanceWallClockTime(Duration.ofMillis(150));
        store.switchModel("m2"); // faro reembed switched the store while records of model m are on their way

        embeddings.pipeInput("c2", embedding("c2", 2));
        embeddings.pipeInput("c3", embedding("c3", 3));
        driver.advanceWallClockTime(Duration.ofMillis(150));

        assertThat(store.rows()).containsOnlyKeys("c2", "c3");
        assertThat(store.rows().values()).allSatisfy(row -> {
            assertThat(row.model()).isEqualTo("m2");
            assertThat(row.vector()).containsExactly(0.5f, 1f);
        });
        assertThat(meters.counter(MetricNames.SINK_REEMBEDDED, MetricNames.TAG_STORE, "test-store").count())
                .isEqualTo(2);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldReadOnlyCommittedEmbeddings() {
        var props = StoreSinkTopology.streamsConfig(FaroConfig.from(Env.of(Map.of())), store);

        assertThat(props.get(org.apache.kafka.streams.StreamsConfig.consumerPrefix("isolation.level")))
                .isEqualTo("read_committed");
    }

    @Test
    void shouldWriteFullBatchesAtOnceAndTheRestAfterLinger() {
        for (int i = 0; i < 4; i++) {
            embeddings.pipeInput("c" + i, embedding("c" + i, i));
        }
        assertThat(store.upsertBatchSizes()).containsExactly(3);

        driver.advanceWallClockTime(Duration.ofMillis(150));

        assertThat(store.upsertBatchSizes()).containsExactly(3, 1);
        assertThat(store.rows()).containsOnlyKeys("c0", "c1", "c2", "c3");
    }

    @Test
    void shouldKeepOnlyWritesStillWaitingAtACommitInTheBufferChangelog() {
        // given the buffer's changelog (the test driver commits after every record)
        TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic(
                StoreSinkTopology.applicationId(store) + "-" + StoreSinkTopology.BUFFER + "-changelog",
                new StringDeserializer(), new ByteArrayDeserializer());

        // when c1 and c2 wait at a commit, and c3 completes the batch of 3, which is written before the next commit
        embeddings.pipeInput("c1", embedding("c1", 1));
        embeddings.pipeInput("c2", embedding("c2", 2));
        embeddings.pipeInput("c3", embedding("c3", 3));

        // then the store has all three, and the changelog held a value only for what waited at a commit
        assertThat(store.rows()).containsOnlyKeys("c1", "c2", "c3");
        Map<String, List<Boolean>> valuesByKey = new TreeMap<>();
        changelog.readKeyValuesToList().forEach(kv -> valuesByKey.computeIfAbsent(kv.key, k -> new ArrayList<>())
                .add(kv.value != null));
        assertThat(valuesByKey).containsEntry("c1", List.of(true, false)).containsEntry("c2", List.of(true, false))
                .containsEntry("c3", List.of(false));
    }

    @Test
    void shouldGatherTheNextBatchWhileTheStoreWritesOneAndSendItOnlyWhenThatOneEnds() {
        // given a batch of 3 the store is still writing
        holdWrites();
        for (int i = 0; i < 3; i++) {
            embeddings.pipeInput("c" + i, embedding("c" + i, i));
        }
        assertThat(writer.waiting()).isEqualTo(1);

        // when three more come meanwhile, and the linger time passes
        for (int i = 3; i < 6; i++) {
            embeddings.pipeInput("c" + i, embedding("c" + i, i));
        }
        driver.advanceWallClockTime(Duration.ofMillis(150));

        // then they wait for it: one write per task at a time, so that each chunk's writes keep their order
        assertThat(writer.waiting()).isEqualTo(1);
        assertThat(buffered()).isEqualTo(6);

        // and once the store has the first, the second is sent, and both leave the buffer when written
        writer.releaseOne();
        driver.advanceWallClockTime(StoreSinkProcessor.FOLLOW_UP);
        assertThat(writer.waiting()).isEqualTo(1);
        assertThat(buffered()).isEqualTo(3);
        writer.releaseOne();
        driver.advanceWallClockTime(StoreSinkProcessor.FOLLOW_UP);

        assertThat(store.upsertBatchSizes()).containsExactly(3, 3);
        assertThat(store.rows()).containsOnlyKeys("c0", "c1", "c2", "c3", "c4", "c5");
        assertThat(buffered()).isZero();
    }

    @Test
    void shouldSendEveryFullBatchThatWaitedInOneWriteAndTheRestOnceTheLingerTimeIsUp() {
        // given a batch of 3 the store is still writing, and 7 more that came meanwhile
        holdWrites();
        for (int i = 0; i < 10; i++) {
            embeddings.pipeInput("c" + i, embedding("c" + i, i));
        }
        assertThat(writer.waiting()).isEqualTo(1);

        // when the store has the first
        writer.releaseOne();
        driver.advanceWallClockTime(StoreSinkProcessor.FOLLOW_UP);

        // then both full batches that waited go to the writer at once, each a store call of the batch size
        assertThat(writer.waiting()).isEqualTo(1);
        writer.releaseOne();
        driver.advanceWallClockTime(StoreSinkProcessor.FOLLOW_UP);
        assertThat(store.upsertBatchSizes()).containsExactly(3, 3, 3);
        assertThat(buffered()).isEqualTo(1);

        // and the one left over goes once it has lingered
        driver.advanceWallClockTime(Duration.ofMillis(150));
        writer.releaseOne();
        driver.advanceWallClockTime(StoreSinkProcessor.FOLLOW_UP);
        assertThat(store.upsertBatchSizes()).containsExactly(3, 3, 3, 1);
        assertThat(buffered()).isZero();
    }

    @Test
    void shouldKeepAChangeThatCameWhileTheChunksOlderValueWasBeingWritten() {
        // given c1 and c2 on their way to the store
        holdWrites();
        embeddings.pipeInput("c1", embedding("c1", 1));
        embeddings.pipeInput("c2", embedding("c2", 2));
        driver.advanceWallClockTime(Duration.ofMillis(150));
        assertThat(writer.waiting()).isEqualTo(1);

        // when c1 changes and c2 is deleted before the store has them
        embeddings.pipeInput("c1", embedding("c1", 7));
        embeddings.pipeInput("c2", (EmbeddedChunk) null);
        writer.releaseOne();
        driver.advanceWallClockTime(Duration.ofMillis(150));
        writer.releaseOne();
        driver.advanceWallClockTime(StoreSinkProcessor.FOLLOW_UP);

        // then the later writes win: they stayed in the buffer and went after the first
        assertThat(store.rows()).containsOnlyKeys("c1");
        assertThat(store.rows().get("c1").vector()[0]).isEqualTo(7f);
        assertThat(buffered()).isZero();
    }

    @Test
    void shouldLetTheWriteUnderWayEndBeforeTheTaskCloses() {
        // given a sink, of its own, whose writer thread is still writing a batch: it writes only once the task's
        // thread (this one) is closing the sink's processor
        FaroConfig config = FaroConfig.from(Env.of(Map.of(FaroConfig.HOME, home.resolve("again").toString(),
                FaroConfig.SINK_BATCH_SIZE, "2")));
        Thread task = Thread.currentThread();
        Executor slowWriter = write -> Thread.ofPlatform().start(() -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> Arrays.stream(task.getStackTrace()).anyMatch(frame ->
                    frame.getClassName().equals(StoreSinkProcessor.class.getName())
                            && frame.getMethodName().equals("close")));
            write.run();
        });
        TopologyTestDriver slow = new TopologyTestDriver(StoreSinkTopology.build(config, store, embedders, meters,
                slowWriter), StoreSinkTopology.streamsConfig(config, store));
        TestInputTopic<String, EmbeddedChunk> input = slow.createInputTopic(Topics.EMBEDDINGS.name(),
                new StringSerializer(), JsonSerde.of(EmbeddedChunk.class).serializer());
        input.pipeInput("c1", embedding("c1", 1));
        input.pipeInput("c2", embedding("c2", 2));
        assertThat(store.rows()).isEmpty();

        // when the task closes (a rebalance, a shutdown)
        slow.close();

        // then the write had ended: the task's next owner cannot race it on the same chunks
        assertThat(store.rows()).containsOnlyKeys("c1", "c2");
    }

    @Test
    void shouldDeleteChunkOnTombstone() {
        embeddings.pipeInput("c1", embedding("c1", 1));
        driver.advanceWallClockTime(Duration.ofMillis(150));
        assertThat(store.rows()).containsKey("c1");

        embeddings.pipeInput("c1", (EmbeddedChunk) null);
        driver.advanceWallClockTime(Duration.ofMillis(150));

        assertThat(store.rows()).doesNotContainKey("c1");
    }

    @Test
    void shouldKeepLatestValueWhenChunkChangesWhileWaiting() {
        embeddings.pipeInput("c1", embedding("c1", 1));
        embeddings.pipeInput("c1", embedding("c1", 7));
        driver.advanceWallClockTime(Duration.ofMillis(150));

        assertThat(store.rows().get("c1").vector()[0]).isEqualTo(7f);
        assertThat(store.upsertBatchSizes()).containsExactly(1);
    }

    @Test
    void shouldRetryFailedWritesWithBackoffAndLoseNothing() {
        store.failing(true);
        embeddings.pipeInput("c1", embedding("c1", 1));
        embeddings.pipeInput("c2", embedding("c2", 2));
        driver.advanceWallClockTime(Duration.ofMillis(150));
        int attemptsWhileDown = store.writeAttempts();
        assertThat(attemptsWhileDown).isEqualTo(1);

        // within the first backoff (200 ms + jitter) no new attempt is made
        driver.advanceWallClockTime(Duration.ofMillis(100));
        assertThat(store.writeAttempts()).isEqualTo(attemptsWhileDown);

        store.failing(false);
        driver.advanceWallClockTime(Duration.ofMillis(500));

        assertThat(store.rows()).containsOnlyKeys("c1", "c2");
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldRetryWhileTheBufferIsFullAndGoOnOnceTheStoreTakesWritesAgain() throws Exception {
        // given a store that refuses writes until it has refused two (a full buffer holds the stream thread, and
        // Kafka Streams' clock stands still meanwhile, so the retry must come due in real time)
        store.failing(true);
        Thread recovers = Thread.ofPlatform().start(() -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> store.writeAttempts() >= 2);
            store.failing(false);
        });

        // when four batches come, filling the buffer
        for (int i = 0; i < 12; i++) {
            embeddings.pipeInput("c" + i, embedding("c" + i, i));
        }
        recovers.join();

        // then the sink waited for the store, retried after its backoff, and wrote them all
        assertThat(store.rows()).hasSize(12);
        assertThat(store.writeAttempts()).isGreaterThan(1);
        assertThat(buffered()).isZero();
    }

    @Test
    void shouldMeasureFreshnessFromPublicationToWriteOnlyOnceTheStoreHasTheChunk() {
        // given an embedding of a document published ten seconds ago, and a store that refuses writes
        Instant published = Instant.now().minusSeconds(10);
        store.failing(true);
        embeddings.pipeInput("c1", embedding("c1", 1), published);
        driver.advanceWallClockTime(Duration.ofMillis(150));
        assertThat(freshness().count()).isZero();

        // when the store takes it
        store.failing(false);
        driver.advanceWallClockTime(Duration.ofMillis(500));

        // then one observation, at least the ten seconds it took
        assertThat(store.rows()).containsOnlyKeys("c1");
        assertThat(freshness().count()).isEqualTo(1);
        assertThat(freshness().totalTime(TimeUnit.SECONDS)).isBetween(10.0, 60.0);
    }

    @Test
    void shouldReportRecordsWaitingInTheBufferUntilTheyAreWritten() {
        store.failing(true);
        embeddings.pipeInput("c1", embedding("c1", 1));
        embeddings.pipeInput("c2", embedding("c2", 2));
        driver.advanceWallClockTime(Duration.ofMillis(150));
        assertThat(buffered()).isEqualTo(2);

        store.failing(false);
        driver.advanceWallClockTime(Duration.ofMillis(500));

        assertThat(store.rows()).containsOnlyKeys("c1", "c2");
        assertThat(buffered()).isZero();
    }

    @Test
    void shouldReadBufferEntriesWrittenBeforeTheirTimestampWasKept() {
        // a changelog restored after an upgrade holds entries without published_at_ms
        SinkOp old = JsonSerde.of(SinkOp.class).deserializer()
                .deserialize("sink-buffer-changelog", "{\"chunk_id\":\"c1\",\"upsert\":null}".getBytes(StandardCharsets.UTF_8));

        assertThat(old.chunkId()).isEqualTo("c1");
        assertThat(old.embedding()).isEmpty();
        assertThat(old.publishedAt()).isEmpty();
    }

    private Timer freshness() {
        return meters.get("faro_freshness_seconds").tag("store", "test-store").timer();
    }

    private double buffered() {
        return meters.get("faro_sink_buffered_records").tag("store", "test-store").gauge().value();
    }

    @Test
    void shouldSendRecordThatIsNotAnEmbeddingToDlq() {
        raw.pipeInput("c9", "{\"not\": \"an embedding\"");
        embeddings.pipeInput("c1", embedding("c1", 1));
        driver.advanceWallClockTime(Duration.ofMillis(150));

        var dead = dlq.readRecord();
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("c9");
        assertThat(new String(dead.headers().lastHeader(DeadLetters.STAGE).value(), StandardCharsets.UTF_8))
                .isEqualTo("sink-test-store");
        assertThat(store.rows()).containsOnlyKeys("c1");
        assertThat(meters.get("faro_dlq_records").tag("stage", "sink-test-store").tag("reason", "not_an_embedding")
                .counter().count()).isEqualTo(1);
    }
}
