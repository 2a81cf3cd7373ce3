package io.faro.stores.qdrant;

import io.faro.core.model.Chunk;
import io.faro.stores.keyword.Bm25;
import io.faro.stores.keyword.KeywordAnalyzer;
import io.faro.stores.keyword.KeywordTerms;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorInput;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The keyword side of a Qdrant point: a sparse vector named {@link #VECTOR} that holds, at each analysed term's
 * index ({@link Bm25#index}), the term's BM25 weight in the chunk's context text ({@link Bm25#weight}). The
 * question side is a value of 1 at each of the question's terms, which Qdrant's IDF modifier turns into the term's
 * inverse document frequency over the collection when it searches, so a chunk scores the sum of idf times weight
 * over the terms it shares with the question: BM25, with the weights written once and the frequencies always
 * current. The analyser's language is written beside each point ({@link #LANGUAGE}), the way its model is.
 */
final class QdrantKeywords implements AutoCloseable {

    /** The sparse vector's name in every collection FARO makes; the dense vector stays unnamed ({@code ""}). */
    static final String VECTOR = "keywords";
    /** The payload field that says which analyser's terms a point's sparse vector holds. */
    static final String LANGUAGE = "keyword_language";

    private final KeywordAnalyzer analyzer;

    QdrantKeywords(String language) {
        this.analyzer = KeywordAnalyzer.forLanguage(language);
    }

    String language() {
        return analyzer.language();
    }

    /**
     * A chunk's sparse vector. Two terms that share an index (a murmur3 collision) add their weights, since
     * Qdrant refuses a sparse vector that names an index twice.
     */
    Vector document(Chunk chunk) {
        KeywordTerms terms = analyzer.terms(chunk.contextText());
        Map<Integer, Float> weights = new TreeMap<>();
        terms.frequencies().forEach((term, tf) ->
                weights.merge(Bm25.index(term), (float) Bm25.weight(tf, terms.length()), Float::sum));
        return Vector.newBuilder().setSparse(SparseVector.newBuilder()
                .addAllIndices(weights.keySet()).addAllValues(weights.values())).build();
    }

    /** A question's sparse vector: 1 at each distinct term's index (empty when it has no terms, matching nothing). */
    VectorInput question(String text) {
        TreeSet<Integer> indices = new TreeSet<>();
        analyzer.queryTerms(text).forEach(term -> indices.add(Bm25.index(term)));
        SparseVector.Builder sparse = SparseVector.newBuilder().addAllIndices(indices);
        indices.forEach(index -> sparse.addValues(1f));
        return VectorInput.newBuilder().setSparse(sparse).build();
    }

    @Override
    public void close() {
        analyzer.close();
    }
}
