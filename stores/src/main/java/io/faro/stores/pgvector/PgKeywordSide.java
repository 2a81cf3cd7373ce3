package io.faro.stores.pgvector;

import io.faro.core.model.EmbeddedChunk;
import io.faro.stores.keyword.KeywordAnalyzer;
import io.faro.stores.keyword.KeywordTerms;
import java.util.List;

/**
 * The keyword columns of a batch of rows, as the upsert binds them: each chunk's terms as {@code tsvector} text
 * and its number of terms, from the analyser of {@code language} applied to the chunk's context text (title,
 * headings and text, {@link io.faro.core.model.Chunk#contextText()}).
 */
record PgKeywordSide(String language, String[] terms, Integer[] lengths) {

    static PgKeywordSide of(List<EmbeddedChunk> rows, KeywordAnalyzer analyzer) {
        String[] terms = new String[rows.size()];
        Integer[] lengths = new Integer[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            KeywordTerms analysed = analyzer.terms(rows.get(i).chunk().contextText());
            terms[i] = PgTsVector.of(analysed);
            lengths[i] = analysed.length();
        }
        return new PgKeywordSide(analyzer.language(), terms, lengths);
    }
}
