package io.faro.stores.pgvector;

import io.faro.stores.keyword.KeywordTerms;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A chunk's analysed terms as PostgreSQL {@code tsvector} text, and a question's terms as {@code tsquery} text.
 * The terms come from FARO's own analyser ({@link io.faro.stores.keyword.KeywordAnalyzer}), so PostgreSQL's text
 * search configurations never touch them: each term is a quoted lexeme, taken as it is.
 *
 * <p>A term that occurs {@code tf} times carries the positions {@code 1..tf}: the vector is a bag of term
 * frequencies (all BM25 reads), not a record of where each term stood. PostgreSQL keeps at most
 * {@value #MAX_POSITIONS} positions of a lexeme, so a term repeated more often counts as {@value #MAX_POSITIONS}
 * (its BM25 weight is then within 1 % of its limit anyway); and a vector's lexemes and positions must fit in
 * {@value #MAX_BYTES} bytes, so a chunk whose terms would not (hundreds of kilobytes of distinct words, far beyond
 * any chunk the splitter makes) keeps its most frequent terms that fit. A lexeme longer than PostgreSQL's
 * {@value #MAX_LEXEME_BYTES} bytes is left out.
 */
final class PgTsVector {

    /** The most positions PostgreSQL keeps for one lexeme. */
    static final int MAX_POSITIONS = 256;
    /** Below PostgreSQL's limit of 1 MiB for a vector's lexemes and positions, with room for its alignment. */
    static final int MAX_BYTES = 1_000_000;
    /** PostgreSQL's limit for one lexeme, in bytes (the analyser already drops terms over 64 characters). */
    static final int MAX_LEXEME_BYTES = 2_046;

    private PgTsVector() {
    }

    /** The {@code tsvector} text of a chunk's terms: {@code 'lexeme':1,2 'other':1}. */
    static String of(KeywordTerms terms) {
        List<Map.Entry<String, Integer>> kept = fitting(terms.frequencies());
        StringBuilder text = new StringBuilder(kept.size() * 12);
        for (Map.Entry<String, Integer> term : kept) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(lexeme(term.getKey())).append(':');
            int positions = Math.min(term.getValue(), MAX_POSITIONS);
            for (int position = 1; position <= positions; position++) {
                if (position > 1) {
                    text.append(',');
                }
                text.append(position);
            }
        }
        return text.toString();
    }

    /** The {@code tsquery} text that matches one term exactly: {@code 'lexeme'}. */
    static String query(String term) {
        return lexeme(term);
    }

    /**
     * A term quoted as a lexeme: in single quotes, with quotes and backslashes inside doubled as PostgreSQL's
     * text search input wants them. The SQL itself binds the text as a parameter, so no SQL quoting applies.
     */
    static String lexeme(String term) {
        return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** Every term, unless their bytes would pass the limit: then the most frequent ones that fit. */
    private static List<Map.Entry<String, Integer>> fitting(Map<String, Integer> frequencies) {
        List<Map.Entry<String, Integer>> all = new ArrayList<>();
        for (Map.Entry<String, Integer> term : frequencies.entrySet()) {
            if (term.getKey().getBytes(StandardCharsets.UTF_8).length <= MAX_LEXEME_BYTES) {
                all.add(term);
            }
        }
        all.sort(Map.Entry.comparingByKey());
        long bytes = all.stream().mapToLong(PgTsVector::bytes).sum();
        if (bytes <= MAX_BYTES) {
            return all;
        }
        all.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        List<Map.Entry<String, Integer>> kept = new ArrayList<>();
        long used = 0;
        for (Map.Entry<String, Integer> term : all) {
            used += bytes(term);
            if (used > MAX_BYTES) {
                break;
            }
            kept.add(term);
        }
        return kept;
    }

    /** What a lexeme takes in a stored vector: its UTF-8 bytes, a count and two bytes per position, aligned. */
    private static long bytes(Map.Entry<String, Integer> term) {
        int lexeme = term.getKey().getBytes(StandardCharsets.UTF_8).length;
        return lexeme + 1 + 2 + 2L * Math.min(term.getValue(), MAX_POSITIONS);
    }
}
