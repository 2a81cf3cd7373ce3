package io.faro.stores.pgvector;

import io.faro.core.store.Fusion;
import io.faro.stores.keyword.Bm25;
import java.util.Locale;
import java.util.Optional;

/**
 * The text of pgvector's searches, each one statement: dense (the HNSW index), keyword (BM25 over the GIN index
 * of the chunks' terms) and hybrid (both as CTEs, fused by {@link Fusion}'s reciprocal ranks). Values are
 * placeholders made by {@link PgParams}; only FARO's own identifiers and constants are part of the text.
 *
 * <h2>Keyword scoring</h2>
 * A chunk's score is the sum, over the question's terms it holds, of {@code idf(term) * Bm25.weight(tf, length)}:
 * <ul>
 *   <li>{@code tf} is read from the chunk's {@code tsvector}, whose positions of a term are {@code 1..tf}
 *       ({@link PgTsVector}), through {@code ts_rank} with every weight 1 and one term: PostgreSQL ranks a term
 *       with {@code tf} positions {@code (1 + 1/4 + ... + 1/tf²) / (π²/6)}, which {@link #TF_FROM_RANK} turns back
 *       into {@code tf} exactly for every {@code tf} a vector can hold (1 to 256; 0 for a term the chunk lacks).
 *       One C call per term and chunk, where unnesting the vector costs ten times more.</li>
 *   <li>{@code N}, the chunks in the table, is counted while the table is small ({@link #EXACT_COUNT_BELOW}
 *       rows), and past that estimated as the planner does (rows per page at the last ANALYZE times the pages
 *       now).</li>
 *   <li>{@code n}, the chunks holding a term, comes from ANALYZE's statistics for the terms it found most
 *       common ({@code pg_stats.most_common_elems}: about a thousand, each held by more than roughly 1 % of the
 *       chunks), and is counted through the GIN index for every other term, which is rare by definition. A table
 *       never analysed (below autovacuum's 50 rows, or just filled) has every term counted: exact.</li>
 *   <li>Candidates are the chunks holding one of the question's rarest terms: terms in rising order of {@code n}
 *       while their {@code n} add up to at most {@link #CANDIDATE_BUDGET} (at least the rarest one). The commoner
 *       terms still count in every candidate's score; a chunk holding only common terms and none of the rare ones
 *       is not a candidate (Lucene's "common terms" cut-off). Below the budget the search is exact BM25; above it,
 *       the cost of a search stays bounded by the budget, not by how much of the table the word "were" covers.</li>
 * </ul>
 */
final class PgSearchSql {

    /** Below this many rows (by the last statistics) a keyword search counts the table's rows exactly. */
    static final int EXACT_COUNT_BELOW = 1_000;
    /** How many chunk-term matches a keyword search's candidates may sum to before its commonest terms stop adding candidates. */
    static final int CANDIDATE_BUDGET = 1_000;
    /** π²/6, the limit of {@code 1 + 1/4 + 1/9 + ...}. */
    private static final double ZETA_2 = Math.PI * Math.PI / 6;
    /** {@code tf} back from {@code ts_rank} of one term with every weight 1; %s: the term's tsquery. */
    static final String TF_FROM_RANK = "round(1 / (" + ZETA_2 + "::float8 * (1 - ts_rank('{1,1,1,1}',"
            + " c.keyword_terms, %s, 0))) - 0.5)";

    static final String HIT_COLUMNS = "c.chunk_id, c.doc_id, c.chunk_index, c.title, c.content,"
            + " c.metadata::text AS metadata, c.model";

    private final String table;

    PgSearchSql(String table) {
        this.table = table;
    }

    /**
     * Nearest chunks by cosine similarity. Unfiltered, with no WHERE clause, so the planner always takes the HNSW
     * index; filtered, the index scan may go on past its first candidates (hnsw.iterative_scan), whose relaxed
     * order the outer query puts right.
     */
    String dense(String vector, String limit, Optional<String> condition) {
        String select = "SELECT " + HIT_COLUMNS + ", 1 - (c.embedding <=> " + vector + "::vector) AS score FROM "
                + table + " c";
        String order = " ORDER BY c.embedding <=> " + vector + "::vector LIMIT " + limit;
        return condition.map(where -> "SELECT * FROM (" + select + " WHERE " + where + order + ") AS hits"
                + " ORDER BY score DESC").orElse(select + order);
    }

    /**
     * A keyword or hybrid search: the CTE {@code keyword} (and for hybrid {@code dense}), fused into the top
     * {@code topK}, each hit with its ranks and scores on each side; every row also carries the language the
     * table's terms were analysed in (one row with no hit when nothing matched), so the caller can refuse a table
     * analysed in another language without asking again.
     *
     * @param keyword the CTEs of {@link #keyword}
     * @param dense   the CTE of {@link #denseRanked}, for a hybrid search
     */
    String fused(String keyword, Optional<String> dense, String topK, String tableName) {
        String fused = dense.map(d -> d + ",\n" + """
                fused AS (
                    SELECT coalesce(d.chunk_id, k.chunk_id) AS chunk_id,
                           coalesce(1 / (d.rank / %s + %d), 0) + coalesce(1 / (k.rank / %s + %d), 0) AS score,
                           d.rank AS dense_rank, d.score AS dense_score, k.rank AS keyword_rank, k.score AS keyword_score
                    FROM dense d FULL JOIN keyword k ON k.chunk_id = d.chunk_id
                    ORDER BY score DESC, chunk_id LIMIT %s)""".formatted(float8(Fusion.DENSE_WEIGHT),
                        Fusion.RRF_K - 1, float8(Fusion.KEYWORD_WEIGHT), Fusion.RRF_K - 1, topK))
                .orElse("""
                        fused AS (
                            SELECT chunk_id, score, NULL::bigint AS dense_rank, NULL::float8 AS dense_score,
                                   rank AS keyword_rank, score AS keyword_score
                            FROM keyword)""");
        return "WITH " + keyword + ",\n" + fused + ",\n" + """
                hits AS (
                    SELECT %s, f.score, f.dense_rank, f.dense_score, f.keyword_rank, f.keyword_score
                    FROM fused f JOIN %s c ON c.chunk_id = f.chunk_id)
                SELECT r.keyword_language, h.*
                FROM %s r LEFT JOIN hits h ON true
                WHERE r.table_name = %s
                ORDER BY h.score DESC, h.chunk_id""".formatted(HIT_COLUMNS, table, PgSchema.REGISTRY_TABLE, tableName);
    }

    /** The dense side of a hybrid search: its first {@code limit} chunks, ranked from 1. */
    String denseRanked(String vector, String limit, Optional<String> condition) {
        return """
                dense AS (
                    SELECT chunk_id, score, row_number() OVER (ORDER BY score DESC, chunk_id) AS rank
                    FROM (SELECT chunk_id, 1 - (embedding <=> %1$s::vector) AS score FROM %2$s%3$s
                          ORDER BY embedding <=> %1$s::vector LIMIT %4$s) d)""".formatted(vector, table,
                condition.map(where -> " WHERE " + where).orElse(""), limit);
    }

    /**
     * The CTEs that end in {@code keyword}: the best {@code limit} chunks by BM25 for the question's terms, each
     * with its rank from 1. A question without terms (only stop words) matches nothing.
     *
     * @param termCount how many terms the question has
     * @param terms     the placeholder of the terms, a text array
     * @param queries   the placeholder of each term as a tsquery, a text array in the same order
     */
    String keyword(int termCount, String terms, String queries, String limit, Optional<String> condition) {
        if (termCount == 0) {
            return "keyword AS (SELECT NULL::text AS chunk_id, NULL::float8 AS score, NULL::bigint AS rank"
                    + " WHERE false)";
        }
        return """
                size AS MATERIALIZED (
                    SELECT CASE WHEN c.reltuples >= %1$d AND c.relpages > 0
                                THEN c.reltuples / c.relpages
                                     * (pg_relation_size(c.oid) / current_setting('block_size')::float8)
                                ELSE (SELECT count(*) FROM %2$s)::float8 END AS n
                    FROM pg_class c WHERE c.oid = '%2$s'::regclass),
                stats AS MATERIALIZED (
                    SELECT s.most_common_elems::text::text[] AS lexemes, s.most_common_elem_freqs AS freqs,
                           1 - s.null_frac AS filled
                    FROM pg_stats s
                    WHERE s.schemaname = current_schema() AND s.tablename = '%2$s' AND s.attname = 'keyword_terms'),
                terms AS MATERIALIZED (
                    SELECT t.ord, t.q, z.n,
                           coalesce(s.freqs[array_position(s.lexemes, t.lexeme)] * s.filled * z.n,
                                    (SELECT count(*) FROM %2$s WHERE keyword_terms @@ t.q)) AS df
                    FROM unnest(%3$s::text[], %4$s::tsquery[]) WITH ORDINALITY AS t(lexeme, q, ord)
                         CROSS JOIN size z LEFT JOIN stats s ON true),
                idf AS MATERIALIZED (
                    SELECT array_agg(ln(1 + (n - df + 0.5) / (df + 0.5)) ORDER BY ord) AS w FROM terms),
                wanted AS MATERIALIZED (
                    SELECT string_agg(q::text, ' | ')::tsquery AS q
                    FROM (SELECT q, row_number() OVER w AS position, sum(df) OVER w AS matches
                          FROM terms WINDOW w AS (ORDER BY df, ord)) t
                    WHERE position = 1 OR matches <= %5$d),
                keyword AS (
                    SELECT chunk_id, score, row_number() OVER (ORDER BY score DESC, chunk_id) AS rank
                    FROM (SELECT c.chunk_id, %6$s AS score
                          FROM %2$s c CROSS JOIN idf i
                          WHERE c.keyword_terms @@ (SELECT q FROM wanted)%7$s
                          ORDER BY score DESC, c.chunk_id LIMIT %8$s) k)""".formatted(EXACT_COUNT_BELOW, table,
                terms, queries, CANDIDATE_BUDGET, score(termCount, queries),
                condition.map(where -> " AND " + where).orElse(""), limit);
    }

    /** BM25 of the chunk {@code c} for the question's terms, {@code i.w} their IDFs. */
    private static String score(int termCount, String queries) {
        // K1 * (1 - B + B * length / AVERAGE_LENGTH), and the weight (K1 + 1) * tf / (tf + that), written as
        // (K1 + 1) - (K1 + 1) * that / (tf + that) so that tf appears once
        String norm = "%s * (%s + %s * c.keyword_length / %s)".formatted(float8(Bm25.K1), float8(1 - Bm25.B),
                float8(Bm25.B), float8(Bm25.AVERAGE_LENGTH));
        StringBuilder sum = new StringBuilder();
        for (int term = 1; term <= termCount; term++) {
            String tf = TF_FROM_RANK.formatted("(" + queries + "::tsquery[])[" + term + "]");
            sum.append(term == 1 ? "" : "\n                                + ")
                    .append("i.w[%d] * (%s - %s * %s / (%s + %s))".formatted(term, float8(Bm25.K1 + 1),
                            float8(Bm25.K1 + 1), norm, tf, norm));
        }
        return sum.toString();
    }

    private static String float8(double value) {
        return String.format(Locale.ROOT, "%s::float8", value);
    }
}
