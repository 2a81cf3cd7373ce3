package io.faro.maintenance.reembed;

import io.faro.maintenance.replay.LiveChunks;
import io.faro.maintenance.replay.TopicReplay;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.embed.Embedder;
import io.faro.core.json.JsonSerde;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import io.faro.core.topic.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Moves every store to another embedding model with no downtime, and never mixes two models in one
 * store:
 * <ol>
 *   <li>each store gets a new, empty copy for the new model (copies left by an unfinished run are
 *       removed first, so a killed run simply starts again);</li>
 *   <li>{@code faro.chunks} is replayed from the start through the new model into every new copy,
 *       honouring tombstones, and replayed on until a pass finds little new; queries and the sinks keep
 *       using the old copies meanwhile;</li>
 *   <li>each copy is verified against the topic's live chunk set;</li>
 *   <li>the stores are switched one after the other, each atomically, the old copies kept for rollback;
 *       the gateway notices each switch on its next query and embeds questions with the new model;</li>
 *   <li>the replay goes on into the live copies until a pass finds nothing new, so that nothing published
 *       while it ran is lost across the switch. Records the running ingest still embeds with the old model
 *       are embedded again by the sinks, whose stores now refuse the old model.</li>
 * </ol>
 */
public final class Reembedder {

    static final int MAX_CATCH_UP_PASSES = 5;
    private static final Deserializer<Chunk> DESERIALIZER = JsonSerde.of(Chunk.class).deserializer();

    private final KafkaSettings kafka;
    private final List<StoreCopies> stores;
    private final Embedder embedder;
    private final int batchSize;
    private final Consumer<TopicReplay.Progress> progress;

    /** {@code batchSize}: chunks embedded in one call of the model, and written to the stores in one batch. */
    public Reembedder(KafkaSettings kafka, List<StoreCopies> stores, Embedder embedder, int batchSize,
                      Consumer<TopicReplay.Progress> progress) {
        this.kafka = kafka;
        this.stores = List.copyOf(stores);
        this.embedder = embedder;
        this.batchSize = batchSize;
        this.progress = progress;
    }

    /** What happened to one store. */
    public record Switched(String store, String fromModel, String liveCopy, String previousCopy) {
    }

    /** What a re-embedding did. */
    public record Result(String model, List<Switched> stores, long records, int liveChunks) {
    }

    public Result reembed() {
        Map<StoreCopies, String> fromModels = new HashMap<>();
        Map<StoreCopies, StoreCopies.Copy> copies = new HashMap<>();
        try {
            for (StoreCopies store : stores) {
                fromModels.put(store, store.liveModel());
                store.discardUnfinished();
                copies.put(store, store.createCopy(embedder.model(), embedder.dimension()));
            }
            LiveChunks live = new LiveChunks();
            try (TopicReplay replay = new TopicReplay(kafka, Topics.CHUNKS.name(), batchSize, progress)) {
                List<VectorStore> targets = stores.stream().map(store -> copies.get(store).store()).toList();
                long records = replay.passUntilQuiet("re-embed", batchSize, MAX_CATCH_UP_PASSES,
                        batch -> apply(batch, targets, live));
                for (StoreCopies store : stores) {
                    verify(store, copies.get(store), live.ids());
                }
                List<Switched> switched = new ArrayList<>();
                for (StoreCopies store : stores) {
                    String previous = store.live();
                    store.promote(copies.get(store).name());
                    switched.add(new Switched(store.name(), fromModels.get(store), store.live(),
                            store.previous().orElse(previous)));
                }
                List<VectorStore> promoted = new ArrayList<>();
                try {
                    for (StoreCopies store : stores) {
                        promoted.add(store.openLive(embedder.model(), embedder.dimension()));
                    }
                    records += replay.passUntilQuiet("catch up", 1, MAX_CATCH_UP_PASSES,
                            batch -> apply(batch, promoted, live));
                } finally {
                    promoted.forEach(VectorStore::close);
                }
                return new Result(embedder.model(), switched, records, live.size());
            }
        } finally {
            copies.values().forEach(copy -> copy.store().close());
        }
    }

    private static void verify(StoreCopies store, StoreCopies.Copy copy, Set<String> live) {
        Set<String> held = copy.store().versions().keySet();
        if (!held.equals(live)) {
            throw new StoreException("the new " + store.name() + " copy " + copy.name() + " holds " + held.size()
                    + " chunks, the topic's live set " + live.size() + "; not switching any store. Run faro reembed"
                    + " again.");
        }
    }

    private void apply(Map<String, byte[]> batch, List<VectorStore> targets, LiveChunks live) {
        LiveChunks.Batch<Chunk> decoded = live.take(batch, Topics.CHUNKS.name(), DESERIALIZER, Chunk::docVersion);
        List<Chunk> chunks = decoded.upserts();
        List<float[]> vectors = embedder.embedAll(chunks.stream().map(Chunk::text).toList());
        List<EmbeddedChunk> upserts = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            upserts.add(new EmbeddedChunk(chunks.get(i), embedder.model(), embedder.dimension(), vectors.get(i)));
        }
        for (VectorStore target : targets) {
            target.upsert(upserts);
            target.delete(decoded.deletes());
        }
    }
}
