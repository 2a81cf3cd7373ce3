package io.faro.stores.pgvector;

import io.faro.core.store.Fusion;
import io.faro.stores.keyword.Bm25;
import java.util.Locale;
import java.util.Optional;

/**
 * The text of pgvector's searches, each one statement: dense (the HNSW index), keyword (BM25 over the GIN index
 * of the chunks' terms) and hybrid (both as CTEs, fused by {@link Fusion}'s reciprocal ranks). Values are
 * placeholders made by {@link PgParams}; only FARO's own identifiers and constants, and the searches' limits, are
 * part of the text.
 *
 * <h2>Planned once</h2>
 * An unfiltered keyword or hybrid search is planned once per connection and text ({@link PgPlanning#ONCE}), so
 * its plan must suit every value: the query vector is read once, in an InitPlan ({@code (SELECT $n::vector)}),
 * not cast from text for each row the dense side scores; the terms' tsqueries are cast once, into columns of the
 * CTE {@code idf}; and the limits are written into the text, since the planner, not knowing a limit, would take
 * a scan of the whole table for the HNSW index's. The plan is then the one a custom plan would be.
 *
 * <h2>Keyword scoring</h2>
 * A chunk's score is the sum, over the question's terms it holds, of {@code idf(term) * Bm25.weight(tf, length)}:
 * <ul>
 *   <li>{@code tf} is read from the chunk's {@code tsvector}, whose positions of a term are {@code 1..tf}
 *       ({@link PgTsVector}), through {@code ts_rank} with every weight 1 and one term: PostgreSQL ranks a term
 *       with {@code tf} positions {@code (1 + 1/4 + ... + 1/tf²) / (π²/6)}, which {@link #TF_FROM_RANK} turns back
 *       into {@code tf} exactly for every {@code tf} a vector can hold (1 to 256; 0 for a term the chunk lacks).
 *       One C call per term and chunk: unnesting the vector and joining its terms cost half as much again.</li>
 *   <li>{@code N}, the chunks in the table, is counted while the table is small ({@link #EXACT_COUNT_PAGES}
 *       pages) or was never analysed: exact. Past that it is estimated as the planner does (rows per page at the
 *       last ANALYZE times the pages now), since counting reads the whole table (0.3 ms at 1 100 chunks).
 *       {@code n}, the chunks holding a term, is counted while the table holds fewer than
 *       {@link #EXACT_COUNT_BELOW} rows; past that it comes from ANALYZE's statistics for the terms it found
 *       common ({@link PgCommonTerms}: held by at least {@link #ESTIMATED_FROM} rows, and by more than about
 *       1 % of them in a large table), and is counted through the GIN index for every other term, which is
 *       rare and so cheap to count.</li>
 *   <li>Candidates are the chunks holding one of the question's rarest terms: terms in rising order of {@code n}
 *       while their {@code n} add up to at most {@link #SCORE_BUDGET} divided by the number of terms (and at least
 *       up to the rarest term any chunk holds). The commoner terms still count in every candidate's score, but a chunk holding only common
 *       terms and none of the rare ones is not a candidate: the cut-off of Lucene's {@code CommonTermsQuery}.
 *       While the question's terms match few enough chunks (always in a small table) this is exact BM25; past
 *       that, a search costs what the budget allows, not what the word "were" covers (scoring every chunk that
 *       holds any term of a typical question took 15 ms at 10 000 chunks, since half of them hold one).</li>
 * </ul>
 */
final class PgSearchSql {

    /**
     * Below this many rows (by the last statistics) a keyword search counts the table's rows, and the rows holding
     * each term, exactly.
     */
    static final int EXACT_COUNT_BELOW = 1_000;
    /** A table of fewer pages than this (1 MB, a few hundred chunks) has its rows counted by each keyword search. */
    static final int EXACT_COUNT_PAGES = 128;
    /** In a larger table, a term held by at least this many rows by the statistics is not counted but estimated. */
    static final int ESTIMATED_FROM = 100;
    /**
     * How many term scores (candidates times the question's terms) a keyword search computes at most, about 1 ms
     * of PostgreSQL's time: a question of {@code k} terms takes candidates from its rarest terms while they match
     * at most {@code SCORE_BUDGET / k} chunks in all.
     */
    static final int SCORE_BUDGET = 3_000;
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
                           d.rank AS dense_rank, d.score AS dense_score,
                           k.rank AS keyword_rank, k.score AS keyword_score
                    FROM dense d FULL JOIN keyword k ON k.chunk_id = d.chunk_id
                    ORDER BY score DESC, chunk_id LIMIT %s)""".formatted(float8(Fusion.DENSE_WEIGHT),
                        Fusion.RRF_K - 1, float8(Fusion.KEYWORD_WEIGHT), Fusion.RRF_K - 1, topK))
                .orElse("""
                        fused AS (
                            SELECT chunk_id, score, NULL::bigint AS dense_rank, NULL::float8 AS dense_score,
                                   rank AS keyword_rank, score AS keyword_score
                            FROM keyword)""");
        return "WITH " + keyword + ",\n" + fused + "\n" + """
                SELECT r.keyword_language, %s, f.score, f.dense_rank, f.dense_score, f.keyword_rank, f.keyword_score
                FROM %s r LEFT JOIN (fused f JOIN %s c ON c.chunk_id = f.chunk_id) ON true
                WHERE r.table_name = %s
                ORDER BY f.score DESC, c.chunk_id""".formatted(HIT_COLUMNS, PgSchema.REGISTRY_TABLE, table, tableName);
    }

    /**
     * The dense side of a hybrid search: its first {@code limit} chunks, ranked from 1. It needs more chunks than
     * a dense search ({@link Fusion#candidates}); past {@code hnsw.ef_search} ({@code FARO_PG_EF_SEARCH}) pgvector
     * would find the rest by an iterative scan, a second walk of the graph, so the statement raises
     * {@code hnsw.ef_search} to {@code limit} for itself ({@code set_config(..., true)} lasts until the end of its
     * transaction, evaluated once before the index scan starts): one walk that finds them all. A filter that drops
     * rows still goes on iteratively ({@link PgFilter}).
     */
    String denseRanked(String vector, String limit, Optional<String> condition) {
        return """
                dense AS (
                    SELECT chunk_id, score, row_number() OVER (ORDER BY score DESC, chunk_id) AS rank
                    FROM (SELECT chunk_id, 1 - (embedding <=> (SELECT %1$s::vector)) AS score FROM %2$s
                          WHERE (SELECT set_config('hnsw.ef_search',
                                        greatest(current_setting('hnsw.ef_search')::int, %4$s)::text, true))
                                IS NOT NULL%3$s
                          ORDER BY embedding <=> (SELECT %1$s::vector) LIMIT %4$s) d)""".formatted(vector, table,
                condition.map(where -> " AND " + where).orElse(""), limit);
    }

    /**
     * The CTEs that end in {@code keyword}: the best {@code limit} chunks by BM25 for the question's terms, each
     * with its rank from 1. A question without terms (only stop words) matches nothing.
     *
     * @param termCount how many terms the question has
     * @param queries   the placeholder of each term as a tsquery, a text array
     * @param shares    the placeholder of the share of the table's rows holding each term, a float8 array in the
     *                  same order, {@code NULL} for a term to count ({@link PgCommonTerms})
     */
    String keyword(int termCount, String queries, String shares, String limit, Optional<String> condition) {
        if (termCount == 0) {
            return "keyword AS (SELECT NULL::text AS chunk_id, NULL::float8 AS score, NULL::bigint AS rank"
                    + " WHERE false)";
        }
        return """
                terms AS MATERIALIZED (
                    SELECT t.ord, t.q, z.n,
                           CASE WHEN z.n >= %1$d AND t.share * z.n >= %11$d THEN t.share * z.n
                                ELSE (SELECT count(*) FROM %2$s WHERE keyword_terms @@ t.q) END AS df
                    FROM unnest(%3$s::tsquery[], %4$s::float8[]) WITH ORDINALITY AS t(q, share, ord),
                         (SELECT CASE WHEN c.reltuples >= 0 AND c.relpages > 0 AND p.pages >= %12$d
                                      THEN c.reltuples / c.relpages * p.pages
                                      ELSE (SELECT count(*) FROM %2$s)::float8 END AS n
                          FROM pg_class c, LATERAL (SELECT pg_relation_size(c.oid)
                                                    / current_setting('block_size')::float8 AS pages) p
                          WHERE c.oid = '%2$s'::regclass) z),
                idf AS MATERIALIZED (
                    SELECT %5$s,
                           string_agg(q::text, ' | ') FILTER (WHERE matches - df < 1 OR matches <= %6$d)::tsquery AS q
                    FROM (SELECT ord, q, df, ln(1 + (n - df + 0.5) / (df + 0.5)) AS idf, sum(df) OVER w AS matches
                          FROM terms WINDOW w AS (ORDER BY df, ord)) t),
                keyword AS (
                    SELECT chunk_id, score, row_number() OVER (ORDER BY score DESC, chunk_id) AS rank
                    FROM (SELECT c.chunk_id, %7$s AS score
                          FROM (SELECT chunk_id, keyword_terms, %8$s AS norm
                                FROM %2$s WHERE keyword_terms @@ (SELECT q FROM idf)%9$s OFFSET 0) c,
                               idf i
                          ORDER BY score DESC, c.chunk_id LIMIT %10$s) k)""".formatted(EXACT_COUNT_BELOW, table,
                queries, shares, idfColumns(termCount, queries), SCORE_BUDGET / termCount, score(termCount), norm(),
                condition.map(where -> " AND " + where).orElse(""), limit, ESTIMATED_FROM, EXACT_COUNT_PAGES);
    }

    /**
     * Each term's IDF and tsquery as columns of their own, {@code w1}, {@code q1}, {@code w2}, ...: cheaper per row
     * than an array's element, and the text array of the question's terms is cast to tsqueries once per search,
     * whether the statement's plan is custom (its value a constant) or generic (a parameter).
     */
    private static String idfColumns(int termCount, String queries) {
        StringBuilder columns = new StringBuilder();
        for (int term = 1; term <= termCount; term++) {
            columns.append(term == 1 ? "" : ", ")
                    .append("max(idf) FILTER (WHERE ord = %1$d) AS w%1$d, (%2$s::tsquery[])[%1$d] AS q%1$d"
                            .formatted(term, queries));
        }
        return columns.toString();
    }

    /** The length part of BM25's weight, {@code K1 * (1 - B + B * length / AVERAGE_LENGTH)}, once per candidate. */
    private static String norm() {
        return "%s * (%s + %s * keyword_length)".formatted(float8(Bm25.K1), float8(1 - Bm25.B),
                float8(Bm25.B / Bm25.AVERAGE_LENGTH));
    }

    /**
     * BM25 of the candidate {@code c} for the question's terms, {@code i.q1...}, {@code i.w1...} their IDFs: each term's weight
     * {@code (K1 + 1) * tf / (tf + norm)} written as {@code (K1 + 1) - (K1 + 1) * norm / (tf + norm)}, so that
     * {@code tf} appears once (0 for a term the chunk lacks gives 0).
     */
    private static String score(int termCount) {
        StringBuilder sum = new StringBuilder();
        for (int term = 1; term <= termCount; term++) {
            String tf = TF_FROM_RANK.formatted("i.q" + term);
            sum.append(term == 1 ? "" : "\n                                + ")
                    .append("i.w%d * (%s - %s * c.norm / (%s + c.norm))".formatted(term, float8(Bm25.K1 + 1),
                            float8(Bm25.K1 + 1), tf));
        }
        return sum.toString();
    }

    private static String float8(double value) {
        return String.format(Locale.ROOT, "%s::float8", value);
    }
}
