package io.faro.maintenance.rebuild;

import io.faro.maintenance.replay.LiveChunks;
import io.faro.maintenance.replay.TopicReplay;
import io.faro.maintenance.replay.WriteBehind;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.embed.Embedders;
import io.faro.core.json.JsonSerde;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import io.faro.core.topic.Topics;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Rebuilds a store from the system of record with no downtime, keeping the model its live copy holds:
 * <ol>
 *   <li>a new, empty copy is created (a copy left by an unfinished rebuild is removed first, so a
 *       killed rebuild simply starts again);</li>
 *   <li>{@code faro.embeddings} is replayed into it from the start, honouring tombstones, and replayed on
 *       until a pass finds little new; queries and the live sink keep using the old copy meanwhile;</li>
 *   <li>the copy is verified: its chunk ids must be exactly the topic's live set;</li>
 *   <li>it is switched live atomically, the old copy kept for rollback;</li>
 *   <li>the replay goes on to the end of the topic as it is after the switch, pass after pass until one
 *       finds nothing new, so that nothing published while it ran is lost across the switch (writes are
 *       idempotent and version-guarded, so records the live sink also wrote converge).</li>
 * </ol>
 * Embeddings of another model than the store's (written before a {@code faro reembed}) are embedded
 * again with the store's model, never mixed in.
 */
public final class Rebuilder {

    static final int BATCH = 500;
    private static final Deserializer<EmbeddedChunk> DESERIALIZER = JsonSerde.of(EmbeddedChunk.class).deserializer();
    static final int MAX_CATCH_UP_PASSES = 5;

    private final KafkaSettings kafka;
    private final StoreCopies copies;
    private final Embedders embedders;
    private final Consumer<TopicReplay.Progress> progress;

    public Rebuilder(KafkaSettings kafka, StoreCopies copies, Embedders embedders,
                     Consumer<TopicReplay.Progress> progress) {
        this.kafka = kafka;
        this.copies = copies;
        this.embedders = embedders;
        this.progress = progress;
    }

    /** What a rebuild did. */
    public record Result(String store, String model, String liveCopy, String previousCopy, long records,
                         int liveChunks) {
    }

    public Result rebuild() {
        String model = copies.liveModel();
        int dimension = embedders.dimensionOf(model);
        copies.discardUnfinished();
        String previous = copies.live();
        StoreCopies.Copy copy = copies.createCopy(model, dimension);
        LiveChunks live = new LiveChunks();
        try (VectorStore target = copy.store();
             TopicReplay replay = new TopicReplay(kafka, Topics.EMBEDDINGS.name(), BATCH, progress);
             WriteBehind writes = new WriteBehind()) {
            long records = replay.passUntilQuiet("replay", BATCH, MAX_CATCH_UP_PASSES,
                    batch -> apply(batch, target, model, live, writes));
            writes.await();
            Set<String> held = target.versions().keySet();
            if (!held.equals(live.ids())) {
                throw new StoreException("the new " + copies.name() + " copy " + copy.name() + " holds " + held.size()
                        + " chunks, the topic's live set " + live.size() + "; not switching. Run the rebuild again.");
            }
            copies.promote(copy.name());
            try (VectorStore promoted = copies.openLive(model, dimension)) {
                records += replay.passUntilQuiet("catch up", 1, MAX_CATCH_UP_PASSES,
                        batch -> apply(batch, promoted, model, live, writes));
                writes.await();
            }
            return new Result(copies.name(), model, copies.live(), copies.previous().orElse(previous), records,
                    live.size());
        }
    }

    /** Decodes a batch here, and writes it while the replay reads the next one. */
    private void apply(Map<String, byte[]> batch, VectorStore target, String model, LiveChunks live,
                       WriteBehind writes) {
        LiveChunks.Batch<EmbeddedChunk> decoded = live.take(batch, Topics.EMBEDDINGS.name(), DESERIALIZER,
                embedded -> embedded.chunk().docVersion());
        writes.submit(() -> {
            target.upsert(embedders.inModel(model, decoded.upserts()));
            target.delete(decoded.deletes());
        });
    }
}
