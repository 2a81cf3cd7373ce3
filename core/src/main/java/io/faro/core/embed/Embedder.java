package io.faro.core.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Turns texts into vectors with one model. Implementations are thread-safe. */
public interface Embedder {

    /** The model's name, written on every embedding record. */
    String model();

    int dimension();

    /** Embeds passages in one batch; the result has one vector per text, in order. */
    List<float[]> embedAll(List<String> passages);

    /** Embeds a search query, with the model's query instruction where it has one. */
    float[] embedQuery(String query);

    /**
     * Embeds passages for the ingest pipeline, which must not wait on the model while it can do other work:
     * the future completes with one outcome per text, in order, once every text has its vector or has been
     * refused for good. A model behind a remote API sends the texts in requests of its own and retries what
     * fails for a passing reason until it succeeds, so the future fails only when the model is closed.
     * This default embeds on the caller's thread: the whole batch, then, if the model refuses it, each text
     * alone, so that only the texts it still refuses are refused.
     */
    default CompletableFuture<List<Outcome>> embedAsync(List<String> passages) {
        try {
            return CompletableFuture.completedFuture(embedAll(passages).stream().map(Outcome::of).toList());
        } catch (RuntimeException batchRefused) {
            return CompletableFuture.completedFuture(eachAlone(passages));
        }
    }

    /** Each text embedded on its own, on the caller's thread: a text the model refuses is refused alone. */
    default List<Outcome> eachAlone(List<String> passages) {
        List<Outcome> outcomes = new ArrayList<>(passages.size());
        for (String passage : passages) {
            try {
                outcomes.add(Outcome.of(embedAll(List.of(passage)).getFirst()));
            } catch (RuntimeException refused) {
                outcomes.add(Outcome.refused(String.valueOf(refused.getMessage())));
            }
        }
        return outcomes;
    }

    /** How many {@link #embedAsync} batches are worth having under way at once: 1 for a model in this process. */
    default int batchesInFlight() {
        return 1;
    }

    /**
     * What became of one text: its vector, or why the model refused it for good.
     *
     * @param vector  the vector, or {@code null} when refused
     * @param refusal the model's reason, or {@code null} when embedded
     */
    record Outcome(float[] vector, String refusal) {

        public static Outcome of(float[] vector) {
            return new Outcome(vector, null);
        }

        public static Outcome refused(String reason) {
            return new Outcome(null, reason);
        }

        public boolean isRefused() {
            return vector == null;
        }
    }
}
