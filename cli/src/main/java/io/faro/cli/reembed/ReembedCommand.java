package io.faro.cli.reembed;

import io.faro.cli.rebuild.Copies;
import io.faro.maintenance.reembed.Reembedder;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.EmbeddingSettings;
import io.faro.core.embed.Embedder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.faro.embedders.EmbedderFactory;
import io.faro.core.store.StoreCopies;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code faro reembed --model NAME}: embeds every chunk again with another model into new copies of
 * every store and switches them; {@code --rollback} switches every store back, {@code --drop-old}
 * deletes the old copies.
 */
@Command(name = "reembed", mixinStandardHelpOptions = true,
        description = "Move every store to another embedding model with no downtime, replaying faro.chunks.")
public final class ReembedCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--model", paramLabel = "NAME",
                description = "The model to move to: all-minilm-l6-v2 or bge-small-en-v1.5-q (in-process), or"
                        + " openai:<model>, the hosted model FARO_EMBEDDING_* describe.")
        String model;

        @Option(names = "--rollback", description = "Switch every store back to the copy live before the last switch.")
        boolean rollback;

        @Option(names = "--drop-old", description = "Delete every store's copy kept for rollback.")
        boolean dropOld;
    }

    @Override
    public Integer call() {
        return run(FaroConfig.fromEnv(), action.model, action.rollback, action.dropOld, System.out, System.err);
    }

    public static int run(FaroConfig config, String model, boolean rollback, boolean dropOld, PrintStream out,
                          PrintStream progress) {
        List<StoreCopies> stores = Copies.all(config);
        try {
            if (rollback) {
                for (StoreCopies store : stores) {
                    store.rollback();
                    out.printf("%s: switched back to %s (model %s)%n", store.name(), store.live(), store.liveModel());
                }
                return 0;
            }
            if (dropOld) {
                for (StoreCopies store : stores) {
                    String dropped = store.previous().orElse("-");
                    store.dropPrevious();
                    out.printf("%s: dropped the previous copy %s%n", store.name(), dropped);
                }
                return 0;
            }
            Embedder embedder = EmbedderFactory.create(model, config, new SimpleMeterRegistry());
            Reembedder.Result result = new Reembedder(config.kafka(), stores, embedder, reembedBatch(config, embedder),
                    Copies.progressLine("reembed " + embedder.model(), progress)).reembed();
            progress.println();
            for (Reembedder.Switched store : result.stores()) {
                out.printf("%s: switched from model %s to %s; live copy %s, previous copy %s kept%n", store.store(),
                        store.fromModel(), result.model(), store.liveCopy(), store.previousCopy());
            }
            out.printf("re-embedded %,d chunks from %,d records; queries use %s now.%n", result.liveChunks(),
                    result.records(), result.model());
            if (!config.embedding().model().equals(result.model())) {
                out.printf("Set %s=%s before FARO's next start. Until then the running ingest embeds new chunks with"
                                + " %s and the sinks embed them again with %s.%n", FaroConfig.EMBEDDING_MODEL,
                        result.model(), config.embedding().model(), result.model());
            }
            out.println("Undo with faro reembed --rollback; delete the old copies with faro reembed --drop-old.");
            return 0;
        } finally {
            stores.forEach(StoreCopies::close);
        }
    }

    /** A hosted model gets enough texts at once to keep all its requests in flight. */
    private static int reembedBatch(FaroConfig config, Embedder embedder) {
        return config.embedBatchSize() * embedder.batchesInFlight();
    }

    private static String settingFor(String model) {
        return EmbeddingSettings.isHosted(model)
                ? FaroConfig.EMBEDDING_PROVIDER + "=openai and " + FaroConfig.EMBEDDING_MODEL + "="
                        + model.substring(EmbeddingSettings.HOSTED_PREFIX.length()) + " (with its URL and dimension)"
                : FaroConfig.EMBEDDING_MODEL + "=" + model + " (and unset " + FaroConfig.EMBEDDING_PROVIDER + ")";
    }
}
