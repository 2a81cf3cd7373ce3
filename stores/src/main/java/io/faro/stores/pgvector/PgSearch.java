package io.faro.stores.pgvector;

import com.pgvector.PGvector;
import io.faro.core.model.SearchHit;
import io.faro.core.store.Fusion;
import io.faro.core.store.SearchMode;
import io.faro.core.store.SearchModeUnavailableException;
import io.faro.core.store.StoreException;
import io.faro.core.store.StoreQuery;
import io.faro.stores.keyword.KeywordAnalyzer;
import io.r2dbc.spi.Row;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Flux;

/**
 * Runs a {@link StoreQuery} against one pgvector table in one statement ({@link PgSearchSql}), analysing the
 * question with the store's keyword analyser, and refuses a keyword or hybrid search of a table whose terms
 * were analysed in another language (its terms would not meet the question's) until a rebuild re-analyses it.
 * An unfiltered keyword or hybrid search runs on a connection that planned its text once
 * ({@link PgPlanning#ONCE}); every other search is planned for its values.
 */
final class PgSearch {

    private final String table;
    private final PgSearchSql sql;
    private final KeywordAnalyzer analyzer;
    private final PgCommonTerms commonTerms;

    PgSearch(String table, KeywordAnalyzer analyzer, PgCommonTerms commonTerms) {
        this.table = table;
        this.sql = new PgSearchSql(table);
        this.analyzer = analyzer;
        this.commonTerms = commonTerms;
    }

    /**
     * @param db       connections that plan each statement for its values ({@link PgPlanning#FOR_EACH_RUN})
     * @param planOnce connections that plan each statement text once ({@link PgPlanning#ONCE})
     */
    List<SearchHit> search(StoreQuery query, PgSchema.Executor db, PgSchema.Executor planOnce) {
        if (query.mode() == SearchMode.DENSE) {
            return dense(query, db);
        }
        return keywordOrHybrid(query, query.filter().isEmpty() ? planOnce : db);
    }

    private List<SearchHit> dense(StoreQuery query, PgSchema.Executor db) {
        PgParams params = new PgParams();
        String vector = params.add(new PGvector(query.vector()).toString());
        String limit = params.add(query.topK());
        String text = sql.dense(vector, limit, condition(query, params));
        List<SearchHit> hits = db.withConnection(conn -> Flux.from(params.bindTo(conn.createStatement(text)).execute())
                .flatMap(result -> result.map((row, meta) -> hit(row, false)))
                .collectList(), "search");
        return query.explain() ? SearchMode.DENSE.explainInOrder(hits) : hits;
    }

    private List<SearchHit> keywordOrHybrid(StoreQuery query, PgSchema.Executor db) {
        List<String> terms = analyzer.queryTerms(query.text());
        boolean hybrid = query.mode() == SearchMode.HYBRID;
        int candidates = hybrid ? Fusion.candidates(query.topK()) : query.topK();
        PgParams params = new PgParams();
        String vector = hybrid ? params.add(new PGvector(query.vector()).toString()) : null;
        // limits are part of the text, so that a plan made once for it fits every run of it (PgPlanning.ONCE);
        // a keyword search for no terms only looks up the table's language: it binds no filter
        boolean searches = hybrid || !terms.isEmpty();
        String limit = Integer.toString(candidates);
        Optional<String> condition = searches ? condition(query, params) : Optional.empty();
        String keyword = terms.isEmpty() ? sql.keyword(0, null, null, limit, condition)
                : sql.keyword(terms.size(), params.add(terms.stream().map(PgTsVector::query).toArray(String[]::new)),
                        params.add(commonTerms.shares(terms)), limit, condition);
        Optional<String> dense = hybrid ? Optional.of(sql.denseRanked(vector, limit, condition)) : Optional.empty();
        String text = sql.fused(keyword, dense, Integer.toString(hybrid ? query.topK() : candidates), params.add(table));
        record Answer(String language, SearchHit hit) {
        }
        List<Answer> rows = db.withConnection(conn -> Flux.from(params.bindTo(conn.createStatement(text)).execute())
                .flatMap(result -> result.map((row, meta) -> new Answer(row.get("keyword_language", String.class),
                        row.get("chunk_id", String.class) == null ? null : hit(row, query.explain()))))
                .collectList(), query.mode().wireName() + " search");
        if (rows.isEmpty()) {
            throw new StoreException("pgvector table " + table + " has no entry in " + PgSchema.REGISTRY_TABLE
                    + "; it was dropped or is being switched");
        }
        String language = rows.getFirst().language();
        if (!analyzer.language().equals(language)) {
            throw new SearchModeUnavailableException("pgvector", query.mode(), "table " + table
                    + " holds keyword terms analysed in '" + language
                    + "', but FARO_KEYWORD_LANGUAGE is '" + analyzer.language() + "', so its " + query.mode().wireName()
                    + " search is refused (dense search still works). Run `faro rebuild pgvector` to analyse its"
                    + " chunks again in '" + analyzer.language() + "'.");
        }
        return rows.stream().map(Answer::hit).filter(Objects::nonNull).toList();
    }

    private static Optional<String> condition(StoreQuery query, PgParams params) {
        return query.filter().isEmpty() ? Optional.empty()
                : Optional.of(PgFilter.condition(query.filter(), PgJson.write(query.filter().equalTo()), params));
    }

    private static SearchHit hit(Row row, boolean explain) {
        SearchHit hit = new SearchHit(
                row.get("doc_id", String.class),
                row.get("chunk_id", String.class),
                row.get("chunk_index", Integer.class),
                row.get("title", String.class),
                row.get("content", String.class),
                PgJson.readMap(row.get("metadata", String.class)),
                row.get("score", Double.class),
                row.get("model", String.class));
        if (!explain) {
            return hit;
        }
        Long denseRank = row.get("dense_rank", Long.class);
        Long keywordRank = row.get("keyword_rank", Long.class);
        return hit.withRanks(new SearchHit.Ranks(denseRank == null ? null : denseRank.intValue(),
                row.get("dense_score", Double.class), keywordRank == null ? null : keywordRank.intValue(),
                row.get("keyword_score", Double.class)));
    }
}
