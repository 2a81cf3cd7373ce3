package io.faro.stores.pgvector;

import io.faro.core.store.MetadataFilter;
import io.r2dbc.spi.Statement;
import java.util.List;

/**
 * A {@link MetadataFilter} as a SQL condition on FARO's pgvector table: metadata containment, and for a
 * restricted caller its tenant and an ACL that is empty or shares a group with the caller's. The condition is
 * part of the nearest-neighbour query itself, so the top-k is taken among the rows the caller may see.
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

    /** $3: metadata JSON; $4: tenant; $5: the caller's groups. */
    private static final String METADATA = "metadata @> $3::jsonb";
    private static final String SCOPE = " AND tenant = $4 AND (acl = '{}' OR acl && $5::text[])";

    private PgFilter() {
    }

    /** The WHERE condition for filters of this kind. */
    static String condition(boolean restricted) {
        return restricted ? METADATA + SCOPE : METADATA;
    }

    static void bind(Statement statement, MetadataFilter filter, String metadataJson) {
        statement.bind("$3", metadataJson);
        if (filter.restricted()) {
            statement.bind("$4", filter.scope().tenant())
                    .bind("$5", filter.scope().groups().toArray(String[]::new));
        }
    }
}
