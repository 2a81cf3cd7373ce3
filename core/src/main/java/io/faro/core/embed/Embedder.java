package io.faro.core.embed;

import java.util.List;

/** Turns texts into vectors with one model. Implementations are thread-safe. */
public interface Embedder {

    /** The model's name, written on every embedding record. */
    String model();

    int dimension();

    /** Embeds passages in one batch; the result has one vector per text, in order. */
    List<float[]> embedAll(List<String> passages);

    /** Embeds a search query, with the model's query instruction where it has one. */
    float[] embedQuery(String query);
}
