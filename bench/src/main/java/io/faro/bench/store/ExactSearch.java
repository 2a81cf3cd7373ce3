package io.faro.bench.store;

import java.util.List;

/** Brute-force nearest neighbours in a store: what its approximate index is measured against. */
public interface ExactSearch extends AutoCloseable {

    /** One exact hit: the chunk, its text and its cosine similarity. */
    record Hit(String chunkId, String text, double score) {
    }

    /** The {@code topK} chunks nearest to the vector, best first, by scanning every vector. */
    List<Hit> search(float[] vector, int topK);

    @Override
    void close();
}
