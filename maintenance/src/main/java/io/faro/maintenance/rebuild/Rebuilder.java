package io.faro.maintenance.rebuild;

import io.faro.core.embed.Embedders;
import io.faro.core.json.JsonSerde;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.StoreCopies;
import io.faro.core.topic.Topics;
import io.faro.maintenance.migrate.StoreMigration;
import io.faro.maintenance.replay.TopicReplay;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rebuilds a store from the system of record with no downtime, keeping the model its live copy holds: a
 * {@link StoreMigration} of the one store that replays {@code faro.embeddings} into a new copy, verifies
 * it, switches to it (the old copy kept for rollback) and catches up. Embeddings of another model than
 * the store's (written before a {@code faro reembed}) are embedded again with the store's model, never
 * mixed in.
 */
public final class Rebuilder {

    static final int BATCH = 500;

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
                         long liveChunks) {
    }

    public Result rebuild() {
        String model = copies.liveModel();
        StoreMigration.Source<EmbeddedChunk> embeddings = new StoreMigration.Source<>("replay",
                Topics.EMBEDDINGS.name(), JsonSerde.of(EmbeddedChunk.class).deserializer(),
                embedded -> embedded.chunk().docVersion(), batch -> embedders.inModel(model, batch));
        StoreMigration.Outcome outcome = new StoreMigration(TopicReplay.opener(kafka, progress), BATCH).migrate(
                List.of(copies), new StoreMigration.Target(model, embedders.dimensionOf(model)), embeddings,
                "not switching. Run the rebuild again.");
        StoreMigration.Switched switched = outcome.stores().getFirst();
        return new Result(switched.store(), model, switched.liveCopy(), switched.previousCopy(), outcome.records(),
                outcome.liveChunks());
    }
}
