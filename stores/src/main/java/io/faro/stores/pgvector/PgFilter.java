package io.faro.stores.pgvector;

import io.faro.core.store.MetadataFilter;
import java.util.List;

/**
 * A {@link MetadataFilter} as a SQL condition on FARO's pgvector table: metadata containment, and for a
 * restricted caller its tenant and an ACL that is empty or shares a group with the caller's. The condition is
 * part of the nearest-neighbour query itself, so the top-k is taken among the rows the caller may see; a keyword
 * search applies it to its candidates the same way, before its top-k.
 *
 * <p>A condition that few rows meet would leave an HNSW scan with fewer than top-k rows after its first
 * {@code hnsw.ef_search} candidates. pgvector 0.8's iterative index scans go on scanning the graph until the
 * query has its top-k or {@code hnsw.max_scan_tuples} were visited; {@code relaxed_order} lets results come
 * slightly out of order, which the search query sorts back. A tenant small enough is found faster through its
 * btree index and an exact sort, which the planner then chooses itself.
 */
final class PgFilter {

    /**
     * Run on every new connection of FARO's pools. Custom plans, always: a statement's parameters are bound
     * as text, so a generic plan (which PostgreSQL switches to after five runs of a prepared statement) casts
     * the query vector once per row it sorts (about 80 µs each for 384 dimensions: 20 ms for a tenant of
     * 250 chunks), and cannot see how many rows the tenant named holds, which decides between the HNSW index
     * and the tenant's btree. Planning each search again costs a fraction of a millisecond.
     */
    static final List<String> SESSION_SETTINGS = List.of("SET hnsw.iterative_scan = relaxed_order",
            "SET plan_cache_mode = force_custom_plan");

    private PgFilter() {
    }

    /**
     * The WHERE condition of a non-empty filter, its values added to the statement's parameters: the metadata
     * as JSON, and for a restricted caller its tenant and groups.
     */
    static String condition(MetadataFilter filter, String metadataJson, PgParams params) {
        String condition = "metadata @> " + params.add(metadataJson) + "::jsonb";
        if (filter.restricted()) {
            condition += " AND tenant = " + params.add(filter.scope().tenant())
                    + " AND (acl = '{}' OR acl && " + params.add(filter.scope().groups().toArray(String[]::new))
                    + "::text[])";
        }
        return condition;
    }
}
