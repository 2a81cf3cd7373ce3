package io.faro.bench.chunking;

import io.faro.core.model.Chunk;
import io.faro.core.store.Fusion;
import io.faro.core.store.SearchMode;
import io.faro.stores.keyword.Bm25;
import io.faro.stores.keyword.KeywordAnalyzer;
import io.faro.stores.keyword.KeywordTerms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Exact dense, keyword and hybrid search over a few hundred chunks in memory, scored as the stores score them:
 * cosine similarity, BM25 with {@link Bm25}'s weights and the chunks' own document frequencies over the English
 * analyser's terms of each chunk's context text, and {@link Fusion}'s reciprocal rank fusion. What a store
 * would return if its index lost nothing, so that chunking choices are compared on retrieval alone.
 */
final class ExactRetrieval {

    private final List<Chunk> chunks;
    private final List<float[]> vectors;
    private final List<KeywordTerms> terms = new ArrayList<>();
    private final Map<String, Integer> holding = new HashMap<>();
    private final KeywordAnalyzer analyzer = KeywordAnalyzer.forLanguage("english");

    ExactRetrieval(List<Chunk> chunks, List<float[]> vectors) {
        this.chunks = chunks;
        this.vectors = vectors.stream().map(ExactRetrieval::normalized).toList();
        for (Chunk chunk : chunks) {
            KeywordTerms chunkTerms = analyzer.terms(chunk.contextText());
            terms.add(chunkTerms);
            chunkTerms.frequencies().keySet().forEach(term -> holding.merge(term, 1, Integer::sum));
        }
    }

    /** How many chunks it searches. */
    int size() {
        return chunks.size();
    }

    /** The texts of the {@code topK} best chunks for the question in this mode, best first. */
    List<String> search(SearchMode mode, float[] question, String text, int topK) {
        List<Integer> order = switch (mode) {
            case DENSE -> dense(question, topK);
            case KEYWORD -> keyword(text, topK);
            case HYBRID -> hybrid(question, text, topK);
        };
        return order.stream().map(i -> chunks.get(i).text()).toList();
    }

    private List<Integer> dense(float[] question, int limit) {
        float[] q = normalized(question);
        double[] scores = vectors.stream().mapToDouble(v -> dot(q, v)).toArray();
        return best(scores, limit, false);
    }

    private List<Integer> keyword(String text, int limit) {
        double[] scores = new double[chunks.size()];
        for (String term : analyzer.queryTerms(text)) {
            Integer n = holding.get(term);
            if (n == null) {
                continue;
            }
            double idf = Bm25.idf(n, chunks.size());
            for (int i = 0; i < chunks.size(); i++) {
                Integer tf = terms.get(i).frequencies().get(term);
                if (tf != null) {
                    scores[i] += idf * Bm25.weight(tf, terms.get(i).length());
                }
            }
        }
        return best(scores, limit, true);
    }

    private List<Integer> hybrid(float[] question, String text, int topK) {
        return hybridOrder(question, text, topK, Fusion.RRF_K, Fusion.DENSE_WEIGHT, Fusion.KEYWORD_WEIGHT);
    }

    /** Hybrid search with another rank constant and weights than {@link Fusion}'s, to measure them. */
    List<String> hybrid(float[] question, String text, int topK, int k, double denseWeight, double keywordWeight) {
        return hybridOrder(question, text, topK, k, denseWeight, keywordWeight).stream()
                .map(i -> chunks.get(i).text()).toList();
    }

    private List<Integer> hybridOrder(float[] question, String text, int topK, int k, double denseWeight,
                                      double keywordWeight) {
        int candidates = Fusion.candidates(topK);
        double[] fused = new double[chunks.size()];
        List<Integer> dense = dense(question, candidates);
        for (int rank = 1; rank <= dense.size(); rank++) {
            fused[dense.get(rank - 1)] += Fusion.rrf(rank, denseWeight, k);
        }
        List<Integer> keyword = keyword(text, candidates);
        for (int rank = 1; rank <= keyword.size(); rank++) {
            fused[keyword.get(rank - 1)] += Fusion.rrf(rank, keywordWeight, k);
        }
        return best(fused, topK, true);
    }

    /** The indexes of the highest scores, best first; {@code matchedOnly} leaves out scores of zero. */
    private static List<Integer> best(double[] scores, int limit, boolean matchedOnly) {
        return IntStream.range(0, scores.length).boxed()
                .filter(i -> !matchedOnly || scores[i] > 0)
                .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparing(i -> i))
                .limit(limit)
                .toList();
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static float[] normalized(float[] v) {
        double norm = Math.sqrt(dot(v, v));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}
