package io.faro.stores.pgvector;

import java.util.List;

/**
 * How the connections of one of FARO's pools plan a statement, set on each connection when it is opened with
 * pgvector's settings ({@link #sessionSettings}). The driver keeps each statement text prepared on its
 * connection ({@link #STATEMENTS_KEPT} texts at most), so PostgreSQL can keep its plan too.
 */
enum PgPlanning {

    /**
     * Each statement planned for its own values: writes, dense searches, and every filtered search. A
     * statement's parameters are bound as text, so a generic plan (which PostgreSQL switches to after five runs of
     * a prepared statement) would cast the query vector once per row it sorts (about 80 µs each for 384
     * dimensions: 20 ms for a tenant of 250 chunks), and could not see how many rows the tenant named holds,
     * which decides between the HNSW index and the tenant's btree. Planning a dense search again costs less than a
     * tenth of a millisecond.
     */
    FOR_EACH_RUN("force_custom_plan", 1),
    /**
     * Each statement text planned once per connection: unfiltered keyword and hybrid searches ({@link PgSearchSql}),
     * whose plan is the same whatever their values, since every value is either read once at run time (the query
     * vector in an InitPlan, the terms' tsqueries in a CTE) or decides nothing the planner could weigh; their
     * limits are in the text. Planning a hybrid search took 1.0 ms, as long as running it (1 400 chunks).
     */
    ONCE("force_generic_plan", 0);

    /**
     * Statement texts a connection keeps prepared, the least recently used closed first: keyword and hybrid texts
     * differ by the question's number of terms and by {@code top_k}, so without a bound each connection's server
     * process would keep plans for every combination it ever ran.
     */
    static final int STATEMENTS_KEPT = 128;

    private final String planCacheMode;
    /**
     * Connections a pool opens when it is made: every store uses one planned for each run at once; one planned
     * once waits for the first search that needs it (a sink never runs one).
     */
    final int connectionsAtStart;

    PgPlanning(String planCacheMode, int connectionsAtStart) {
        this.planCacheMode = planCacheMode;
        this.connectionsAtStart = connectionsAtStart;
    }

    /**
     * What a new connection runs before it is lent: the plans, pgvector's iterative index scans, and how many
     * candidates a walk of the HNSW index keeps ({@code FARO_PG_EF_SEARCH}; a hybrid search's dense side keeps at
     * least its own candidates, {@link PgSearchSql#denseRanked}).
     */
    List<String> sessionSettings(int efSearch) {
        return List.of("SET hnsw.iterative_scan = relaxed_order", "SET plan_cache_mode = " + planCacheMode,
                "SET hnsw.ef_search = " + efSearch);
    }
}
