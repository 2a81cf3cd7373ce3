package io.faro.maintenance.reembed;

import io.faro.core.embed.Embedder;
import io.faro.core.json.JsonSerde;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.StoreCopies;
import io.faro.core.topic.Topics;
import io.faro.maintenance.migrate.StoreMigration;
import io.faro.maintenance.replay.TopicReplay;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Moves every store to another embedding model with no downtime, and never mixes two models in one
 * store: a {@link StoreMigration} of all stores that replays {@code faro.chunks} through the new model
 * into a new copy of each, verifies every copy, switches the stores (the old copies kept for rollback)
 * and catches up. The gateway notices each switch on its next query and embeds questions with the new
 * model. Records the running ingest still embeds with the old model are embedded again by the sinks,
 * whose stores now refuse the old model.
 */
public final class Reembedder {

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
    public record Result(String model, List<Switched> stores, long records, long liveChunks) {
    }

    public Result reembed() {
        StoreMigration.Source<Chunk> chunks = new StoreMigration.Source<>("re-embed", Topics.CHUNKS.name(),
                JsonSerde.of(Chunk.class).deserializer(), Chunk::docVersion, this::embed);
        StoreMigration.Outcome outcome = new StoreMigration(TopicReplay.opener(kafka, progress), batchSize).migrate(
                stores, new StoreMigration.Target(embedder.model(), embedder.dimension()), chunks,
                "not switching any store. Run faro reembed again.");
        List<Switched> switched = outcome.stores().stream()
                .map(s -> new Switched(s.store(), s.fromModel(), s.liveCopy(), s.previousCopy())).toList();
        return new Result(embedder.model(), switched, outcome.records(), outcome.liveChunks());
    }

    private List<EmbeddedChunk> embed(List<Chunk> chunks) {
        List<float[]> vectors = embedder.embedAll(chunks.stream().map(Chunk::contextText).toList());
        List<EmbeddedChunk> embedded = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            embedded.add(new EmbeddedChunk(chunks.get(i), embedder.model(), embedder.dimension(), vectors.get(i)));
        }
        return embedded;
    }
}
