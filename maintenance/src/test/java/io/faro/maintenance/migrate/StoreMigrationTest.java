package io.faro.maintenance.migrate;

import static io.faro.maintenance.migrate.Records.batch;
import static io.faro.maintenance.migrate.Records.tombstone;
import static io.faro.maintenance.migrate.Records.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.access.DocumentKey;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.StoreException;
import io.faro.maintenance.replay.ScriptedReplay;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoreMigrationTest {

    private static final String OLD = "old-model";
    private static final String NEW = "new-model";
    private static final StoreMigration.Target TARGET = new StoreMigration.Target(NEW, 2);
    private static final int BATCH = 10;
    private static final String NOT_SWITCHING = "not switching any store. Run it again.";

    private final List<String> log = new ArrayList<>();
    private FakeCopies qdrant;
    private FakeCopies pgvector;

    @BeforeEach
    void stores() {
        qdrant = new FakeCopies("qdrant", OLD, log);
        pgvector = new FakeCopies("pgvector", OLD, log);
        qdrant.copy("qdrant-v0").upsert(List.of(Records.embedded(Records.chunk("old#0"), OLD)));
    }

    private static StoreMigration.Source<Chunk> source(Function<List<Chunk>, List<EmbeddedChunk>> toEmbeddings) {
        return new StoreMigration.Source<>("re-embed", Records.TOPIC, Records.SERDE.deserializer(),
                Chunk::docVersion, toEmbeddings);
    }

    private static StoreMigration.Source<Chunk> intoNewModel() {
        return source(chunks -> Records.embedAll(chunks, NEW));
    }

    private StoreMigration.Outcome migrate(ScriptedReplay replay, StoreMigration.Source<Chunk> source,
                                           FakeCopies... stores) {
        return new StoreMigration((topic, batchSize) -> replay, BATCH).migrate(List.of(stores), TARGET, source,
                NOT_SWITCHING);
    }

    @Test
    void shouldSwitchEveryStoreToANewCopyHoldingTheTopicsLiveSet() {
        // given a topic whose live set is a#0 and c#0 once b#0's tombstone is taken
        ScriptedReplay replay = new ScriptedReplay(log, List.of(List.of(
                batch(upsert("a#0"), upsert("b#0")), batch(upsert("c#0"), tombstone("b#0")))));

        // when
        StoreMigration.Outcome outcome = migrate(replay, intoNewModel(), qdrant, pgvector);

        // then both stores serve a new copy of exactly the live set, in the new model, the old copies kept
        assertThat(outcome.stores()).containsExactly(
                new StoreMigration.Switched("qdrant", OLD, "qdrant-v1", "qdrant-v0"),
                new StoreMigration.Switched("pgvector", OLD, "pgvector-v1", "pgvector-v0"));
        assertThat(outcome.records()).isEqualTo(4);
        assertThat(outcome.liveChunks()).isEqualTo(2);
        for (FakeCopies store : List.of(qdrant, pgvector)) {
            assertThat(store.copy(store.live()).rows()).containsOnlyKeys("a#0", "c#0");
            assertThat(store.copy(store.live()).liveModel()).isEqualTo(NEW);
        }
        assertThat(qdrant.copy("qdrant-v0").rows()).containsOnlyKeys("old#0");
        assertThat(replay.closed()).isTrue();
    }

    @Test
    void shouldSwitchTheStoresOnlyAfterEveryCopyIsFilledAndBeforeTheCatchUp() {
        // given a topic with one chunk
        ScriptedReplay replay = new ScriptedReplay(log, List.of(List.of(batch(upsert("a#0")))));

        // when
        migrate(replay, intoNewModel(), qdrant, pgvector);

        // then copies are made, filled, finished, switched together, and only then caught up through the live names
        assertThat(log).containsExactly(
                "discard qdrant", "create qdrant-v1", "discard pgvector", "create pgvector-v1",
                "pass re-embed", "finish qdrant-v1", "finish pgvector-v1",
                "promote qdrant-v1", "promote pgvector-v1",
                "open live qdrant-v1", "open live pgvector-v1", "pass catch up");
    }

    @Test
    void shouldNotSwitchAnyStoreWhenOneCopyHoldsMoreThanTheLiveSet() {
        // given pgvector's new copy holds a chunk the topic does not, while qdrant's copy will be right
        pgvector.withStrayChunkInNewCopies(Records.embedded(Records.chunk("gone#0"), NEW));
        ScriptedReplay replay = new ScriptedReplay(log, List.of(List.of(batch(upsert("a#0"), upsert("b#0")))));

        // when / then the migration refuses, naming the copy, and switches neither store
        assertThatThrownBy(() -> migrate(replay, intoNewModel(), qdrant, pgvector))
                .isInstanceOf(StoreException.class)
                .hasMessage("the new pgvector copy pgvector-v1 holds 3 chunks, the topic's live set 2 (0 missing,"
                        + " 1 extra); "
                        + NOT_SWITCHING);
        assertThat(qdrant.live()).isEqualTo("qdrant-v0");
        assertThat(pgvector.live()).isEqualTo("pgvector-v0");
        assertThat(log).noneMatch(event -> event.startsWith("promote") || event.equals("pass catch up"));
        assertThat(replay.closed()).isTrue();
    }

    @Test
    void shouldNotSwitchWhenACopyMissesChunks() {
        // given an embedding step that loses c#0
        StoreMigration.Source<Chunk> losing = source(chunks -> Records.embedAll(
                chunks.stream().filter(chunk -> !chunk.chunkId().equals("c#0")).toList(), NEW));
        ScriptedReplay replay = new ScriptedReplay(log, List.of(List.of(
                batch(upsert("a#0"), upsert("b#0"), upsert("c#0")))));

        // when / then
        assertThatThrownBy(() -> migrate(replay, losing, qdrant))
                .isInstanceOf(StoreException.class)
                .hasMessage("the new qdrant copy qdrant-v1 holds 2 chunks, the topic's live set 3 (1 missing, 0 extra); "
                        + NOT_SWITCHING);
        assertThat(qdrant.live()).isEqualTo("qdrant-v0");
        assertThat(qdrant.previous()).isEmpty();
    }

    @Test
    void shouldCatchUpIntoTheLiveCopiesUntilAPassFindsNothingNew() {
        // given records published during the replay, found by the catch-up passes after the switch
        ScriptedReplay replay = new ScriptedReplay(log, List.of(
                List.of(batch(upsert("a#0"), upsert("b#0"))),
                List.of(batch(upsert("d#0"), tombstone("a#0"))),
                List.of(batch(upsert("e#0")))));

        // when
        StoreMigration.Outcome outcome = migrate(replay, intoNewModel(), qdrant);

        // then they land in the copy now live, not in the previous one, and a pass that found nothing ends it
        assertThat(qdrant.copy("qdrant-v1").rows()).containsOnlyKeys("b#0", "d#0", "e#0");
        assertThat(qdrant.copy("qdrant-v0").rows()).containsOnlyKeys("old#0");
        assertThat(outcome.records()).isEqualTo(5);
        assertThat(outcome.liveChunks()).isEqualTo(3);
        assertThat(log).filteredOn(event -> event.startsWith("pass"))
                .containsExactly("pass re-embed", "pass catch up", "pass catch up", "pass catch up");
    }

    @Test
    void shouldDiscardACopyLeftByAnUnfinishedRunBeforeMakingItsOwn() {
        // given a copy a killed run left behind
        qdrant.withUnfinishedCopy();
        ScriptedReplay replay = new ScriptedReplay(log, List.of(List.of(batch(upsert("a#0")))));

        // when
        migrate(replay, intoNewModel(), qdrant);

        // then only the old copy and the new live one remain
        assertThat(qdrant.copyNames()).containsExactlyInAnyOrder("qdrant-v0", "qdrant-v2");
        assertThat(qdrant.live()).isEqualTo("qdrant-v2");
        assertThat(qdrant.copy("qdrant-v2").rows()).containsOnlyKeys("a#0");
    }

    @Test
    void shouldSkipARecordThatCannotBeReadAsTheSinksDo() {
        // given a poison record among the chunks
        ScriptedReplay replay = new ScriptedReplay(log, List.of(List.of(batch(upsert("a#0"),
                Map.entry("poison#0", "{\"chunk_id\":\"poison#0\"}".getBytes(StandardCharsets.UTF_8))))));

        // when
        StoreMigration.Outcome outcome = migrate(replay, intoNewModel(), qdrant);

        // then the copy is verified and switched without it
        assertThat(outcome.liveChunks()).isEqualTo(1);
        assertThat(qdrant.copy(qdrant.live()).rows()).containsOnlyKeys("a#0");
    }

    @Test
    void shouldCarryTheTenantAndAclOfEveryChunkIntoTheNewCopies() {
        // given a chunk of a tenant's document that only the board may see, as faro.chunks holds it
        String key = DocumentKey.of("acme", "memo");
        Chunk chunk = new Chunk(Chunk.idOf(key, 0), key, 3, 0, "Memo", "text of the memo", Map.of(), List.of("board"));
        ScriptedReplay replay = new ScriptedReplay(log, List.of(List.of(batch(
                Map.entry(chunk.chunkId(), Records.SERDE.serializer().serialize(Records.TOPIC, chunk))))));

        // when
        migrate(replay, intoNewModel(), qdrant, pgvector);

        // then both new copies hold it in its tenant with its acl
        for (FakeCopies store : List.of(qdrant, pgvector)) {
            EmbeddedChunk copied = store.copy(store.live()).rows().get(chunk.chunkId());
            assertThat(copied.chunk().tenant()).isEqualTo("acme");
            assertThat(copied.chunk().docId()).isEqualTo(key);
            assertThat(copied.chunk().acl()).containsExactly("board");
        }
    }
}
