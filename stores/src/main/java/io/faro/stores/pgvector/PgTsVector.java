package io.faro.stores.pgvector;

import io.faro.stores.keyword.KeywordTerms;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A chunk's analysed terms as a PostgreSQL {@code tsvector} in its binary form (what {@code COPY ... (FORMAT
 * binary)} sends), and a question's terms as {@code tsquery} text. The terms come from FARO's own analyser
 * ({@link io.faro.stores.keyword.KeywordAnalyzer}), so PostgreSQL's text search configurations never touch them:
 * each term is a lexeme, taken as it is.
 *
 * <p>A term that occurs {@code tf} times carries the positions {@code 1..tf}: the vector is a bag of term
 * frequencies (all BM25 reads), not a record of where each term stood. PostgreSQL keeps at most
 * {@value #MAX_POSITIONS} positions of a lexeme, so a term repeated more often counts as {@value #MAX_POSITIONS}
 * (its BM25 weight is then within 1 % of its limit anyway); and a vector's lexemes and positions must fit in
 * {@value #MAX_BYTES} bytes, so a chunk whose terms would not (hundreds of kilobytes of distinct words, far beyond
 * any chunk the splitter makes) keeps its most frequent terms that fit. A lexeme longer than PostgreSQL's
 * {@value #MAX_LEXEME_BYTES} bytes is left out, and so is one holding a NUL character, which the binary form
 * cannot carry (the analyser never makes either).
 */
final class PgTsVector {

    /** The most positions PostgreSQL keeps for one lexeme. */
    static final int MAX_POSITIONS = 256;
    /** Below PostgreSQL's limit of 1 MiB for a vector's lexemes and positions, with room for its alignment. */
    static final int MAX_BYTES = 1_000_000;
    /** PostgreSQL's limit for one lexeme, in bytes (the analyser already drops terms over 64 characters). */
    static final int MAX_LEXEME_BYTES = 2_046;

    /** One lexeme as the vector keeps it: its UTF-8 bytes and how many positions (occurrences) it carries. */
    record Lexeme(byte[] utf8, int positions) {

        String text() {
            return new String(utf8, StandardCharsets.UTF_8);
        }
    }

    private PgTsVector() {
    }

    /**
     * The lexemes of a chunk's terms in the order PostgreSQL keeps them (by their bytes, unsigned), so that it
     * takes them as sent rather than sorting them again.
     */
    static List<Lexeme> lexemes(KeywordTerms terms) {
        List<Lexeme> all = new ArrayList<>(terms.frequencies().size());
        for (Map.Entry<String, Integer> term : terms.frequencies().entrySet()) {
            byte[] utf8 = term.getKey().getBytes(StandardCharsets.UTF_8);
            if (utf8.length <= MAX_LEXEME_BYTES && term.getKey().indexOf('\0') < 0) {
                all.add(new Lexeme(utf8, Math.min(term.getValue(), MAX_POSITIONS)));
            }
        }
        long bytes = all.stream().mapToLong(PgTsVector::bytes).sum();
        if (bytes > MAX_BYTES) {
            all = mostFrequentThatFit(all);
        }
        all.sort((a, b) -> Arrays.compareUnsigned(a.utf8(), b.utf8()));
        return all;
    }

    /**
     * Writes the binary {@code tsvector} of a chunk's terms: the number of lexemes, then each lexeme as a
     * NUL-terminated string with its number of positions and the positions {@code 1..n} (weight D, PostgreSQL's
     * default, is zero in the top two bits).
     */
    static void write(KeywordTerms terms, DataOutput out) throws IOException {
        List<Lexeme> lexemes = lexemes(terms);
        out.writeInt(lexemes.size());
        for (Lexeme lexeme : lexemes) {
            out.write(lexeme.utf8());
            out.writeByte(0);
            out.writeShort(lexeme.positions());
            for (int position = 1; position <= lexeme.positions(); position++) {
                out.writeShort(position);
            }
        }
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

    /** The most frequent lexemes whose bytes stay within the limit (ties: by their bytes). */
    private static List<Lexeme> mostFrequentThatFit(List<Lexeme> all) {
        List<Lexeme> byFrequency = new ArrayList<>(all);
        byFrequency.sort(Comparator.comparingInt(Lexeme::positions).reversed()
                .thenComparing(Lexeme::utf8, Arrays::compareUnsigned));
        List<Lexeme> kept = new ArrayList<>();
        long used = 0;
        for (Lexeme lexeme : byFrequency) {
            used += bytes(lexeme);
            if (used > MAX_BYTES) {
                break;
            }
            kept.add(lexeme);
        }
        return kept;
    }

    /** What a lexeme takes in a stored vector: its bytes, a count and two bytes per position, aligned. */
    private static long bytes(Lexeme lexeme) {
        return lexeme.utf8().length + 1 + 2 + 2L * lexeme.positions();
    }
}
