package io.faro.stores.pgvector;

import io.faro.core.model.EmbeddedChunk;
import io.faro.stores.keyword.KeywordAnalyzer;
import io.faro.stores.keyword.KeywordTerms;
import java.util.List;

/**
 * The keyword side of a batch of rows: each chunk's terms (written as its {@code tsvector} and its number of
 * terms), from the analyser of {@code language} applied to the chunk's context text (title, headings and text,
 * {@link io.faro.core.model.Chunk#contextText()}).
 */
record PgKeywordSide(String language, List<KeywordTerms> terms) {

    static PgKeywordSide of(List<EmbeddedChunk> rows, KeywordAnalyzer analyzer) {
        return new PgKeywordSide(analyzer.language(),
                rows.stream().map(row -> analyzer.terms(row.chunk().contextText())).toList());
    }
}
