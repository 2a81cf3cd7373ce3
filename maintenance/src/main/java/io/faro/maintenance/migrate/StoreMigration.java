package io.faro.maintenance.migrate;

import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import io.faro.maintenance.replay.LiveChunks;
import io.faro.maintenance.replay.Replay;
import io.faro.maintenance.replay.WriteBehind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Moves stores to new copies filled from a compacted topic, with no downtime, and never leaves a store
 * half switched:
 * <ol>
 *   <li>each store gets a new, empty copy for the target model (a copy left by an unfinished run is
 *       removed first, so a killed run simply starts again);</li>
 *   <li>the topic is replayed from its start into every new copy, honouring tombstones, and replayed on
 *       until a pass finds little new; queries and the sinks keep using the old copies meanwhile;</li>
 *   <li>each copy gets what searches need and a bulk fill is faster without (pgvector's HNSW and keyword
 *       indexes, built once the copy is full), then is verified: its chunk ids must be exactly the topic's live
 *       set (compared page by page
 *       and bucket by bucket on local disk, {@link LiveChunks}, so a copy of any size is verified in bounded
 *       memory);</li>
 *   <li>only then are the stores switched, one after the other, each atomically, the old copies kept for
 *       rollback;</li>
 *   <li>the replay goes on into the live copies until a pass finds nothing new, so that nothing published
 *       while it ran is lost across the switch (writes are idempotent and version-guarded, so records the
 *       live sinks also wrote converge).</li>
 * </ol>
 * Each batch is decoded and embedded on the replay's thread and written while the next one is read and
 * embedded ({@link WriteBehind}): the writes of all copies keep the order of the topic, and every write
 * has landed before a copy is verified, switched or closed.
 */
public final class StoreMigration {

    static final int MAX_PASSES = 5;

    private final Replay.Opener replays;
    private final int batchSize;
    private final Supplier<LiveChunks> liveChunks;

    /** {@code batchSize}: the records of one batch, and what a pass must read less than to be quiet. */
    public StoreMigration(Replay.Opener replays, int batchSize) {
        this(replays, batchSize, LiveChunks::new);
    }

    /** {@code liveChunks}: where a migration keeps the live set it verifies against (tests size its pages). */
    public StoreMigration(Replay.Opener replays, int batchSize, Supplier<LiveChunks> liveChunks) {
        this.replays = replays;
        this.batchSize = batchSize;
        this.liveChunks = liveChunks;
    }

    /**
     * What the copies are filled from: a topic whose records of type {@code T} become embeddings, a batch
     * at a time. {@code phase} names the replay in progress reports.
     */
    public record Source<T>(String phase, String topic, Deserializer<T> deserializer, ToLongFunction<T> docVersion,
                            Function<List<T>, List<EmbeddedChunk>> toEmbeddings) {

        LiveChunks.Batch<EmbeddedChunk> take(Map<String, byte[]> batch, LiveChunks live) {
            LiveChunks.Batch<T> decoded = live.take(batch, topic, deserializer, docVersion);
            return new LiveChunks.Batch<>(toEmbeddings.apply(decoded.upserts()), decoded.deletes());
        }
    }

    /** The model, and the dimension of its vectors, that the new copies hold. */
    public record Target(String model, int dimension) {
    }

    /** What happened to one store. */
    public record Switched(String store, String fromModel, String liveCopy, String previousCopy) {
    }

    /** What a migration did: the stores in the order given, the records replayed, the live chunks found. */
    public record Outcome(List<Switched> stores, long records, long liveChunks) {
    }

    /** A store, the model it held before, and its new copy. */
    private record Migrating(StoreCopies store, String fromModel, StoreCopies.Copy copy) {
    }

    /**
     * Runs the sequence. {@code notSwitching} ends the message of a copy that fails verification: what
     * was not done, and what to do.
     */
    public <T> Outcome migrate(List<StoreCopies> stores, Target target, Source<T> source, String notSwitching) {
        List<Migrating> migrating = new ArrayList<>();
        try {
            for (StoreCopies store : stores) {
                String fromModel = store.liveModel();
                store.discardUnfinished();
                migrating.add(new Migrating(store, fromModel, store.createCopy(target.model(), target.dimension())));
            }
            try (LiveChunks live = liveChunks.get(); Replay replay = replays.open(source.topic(), batchSize)) {
                List<VectorStore> copies = migrating.stream().map(m -> m.copy().store()).toList();
                long records = replayInto(copies, replay, source.phase(), batchSize, source, live);
                for (Migrating m : migrating) {
                    m.store().finishCopy(m.copy().name());
                    verify(m, live, notSwitching);
                }
                List<Switched> switched = migrating.stream().map(StoreMigration::promote).toList();
                records += catchUp(stores, target, replay, source, live);
                return new Outcome(switched, records, live.size());
            }
        } finally {
            migrating.forEach(m -> m.copy().store().close());
        }
    }

    private static void verify(Migrating m, LiveChunks live, String notSwitching) {
        LiveChunks.Comparison comparison = live.compareWith(m.copy().store());
        if (!comparison.sameChunks()) {
            throw new StoreException("the new " + m.store().name() + " copy " + m.copy().name() + " holds "
                    + comparison.held() + " chunks, the topic's live set " + comparison.live() + " ("
                    + comparison.missing() + " missing, " + comparison.extra() + " extra); " + notSwitching);
        }
    }

    private static Switched promote(Migrating m) {
        String previous = m.store().live();
        m.store().promote(m.copy().name());
        return new Switched(m.store().name(), m.fromModel(), m.store().live(), m.store().previous().orElse(previous));
    }

    private <T> long catchUp(List<StoreCopies> stores, Target target, Replay replay, Source<T> source,
                             LiveChunks live) {
        List<VectorStore> promoted = new ArrayList<>();
        try {
            for (StoreCopies store : stores) {
                promoted.add(store.openLive(target.model(), target.dimension()));
            }
            return replayInto(promoted, replay, "catch up", 1, source, live);
        } finally {
            promoted.forEach(VectorStore::close);
        }
    }

    /** Passes until quiet, writing every batch into every target; returns once the last write has landed. */
    private static <T> long replayInto(List<VectorStore> targets, Replay replay, String phase, long quietBelow,
                                       Source<T> source, LiveChunks live) {
        try (WriteBehind writes = new WriteBehind()) {
            long records = replay.passUntilQuiet(phase, quietBelow, MAX_PASSES, batch -> {
                LiveChunks.Batch<EmbeddedChunk> embedded = source.take(batch, live);
                writes.submit(() -> {
                    for (VectorStore target : targets) {
                        target.upsert(embedded.upserts());
                        target.delete(embedded.deletes());
                    }
                });
            });
            writes.await();
            return records;
        }
    }
}
