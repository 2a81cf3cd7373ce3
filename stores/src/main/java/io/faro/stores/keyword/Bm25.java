package io.faro.stores.keyword;

import java.nio.charset.StandardCharsets;
import org.apache.lucene.util.StringHelper;

/**
 * BM25 as both stores score keyword search, split as Qdrant splits it: the document side,
 * {@code tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / AVERAGE_LENGTH))}, is computed when a chunk is
 * written; the question side is each term's inverse document frequency over the whole store,
 * {@code ln(1 + (N - n + 0.5) / (n + 0.5))} (Qdrant's IDF modifier), computed when it searches. A chunk's score
 * is the sum, over the question's terms it holds, of the two multiplied. The average length is a fixed
 * assumption, not measured per store, so a chunk's weights never change when other chunks are written.
 */
public final class Bm25 {

    public static final double K1 = 1.2;
    public static final double B = 0.75;
    /** The assumed number of terms in a chunk (a 200-token chunk of English prose has about this many). */
    public static final double AVERAGE_LENGTH = 100;

    private Bm25() {
    }

    /** The document side of a term that occurs {@code tf} times in a chunk of {@code length} terms. */
    public static double weight(int tf, int length) {
        return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / AVERAGE_LENGTH));
    }

    /** The inverse document frequency of a term held by {@code n} of {@code total} chunks, as Qdrant computes it. */
    public static double idf(long n, long total) {
        return Math.log(1 + (total - n + 0.5) / (n + 0.5));
    }

    /**
     * The index of a term in a sparse vector: its 32-bit MurmurHash3 (seed 0) of its UTF-8 bytes, read as an
     * unsigned number by Qdrant. Two terms that share an index (about one pair in 4 billion) are scored as one.
     */
    public static int index(String term) {
        byte[] bytes = term.getBytes(StandardCharsets.UTF_8);
        return StringHelper.murmurhash3_x86_32(bytes, 0, bytes.length, 0);
    }
}
