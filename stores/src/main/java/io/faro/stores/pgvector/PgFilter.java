package io.faro.stores.pgvector;

import io.faro.core.store.MetadataFilter;

/**
 * A {@link MetadataFilter} as a SQL condition on FARO's pgvector table: metadata containment, and for a
 * restricted caller its tenant and an ACL that is empty or shares a group with the caller's. The condition is
 * part of the nearest-neighbour query itself, so the top-k is taken among the rows the caller may see; a keyword
 * search applies it to its candidates the same way, before its top-k.
 *
 * <p>A condition that few rows meet would leave an HNSW scan with fewer than top-k rows after its first
 * {@code hnsw.ef_search} candidates. pgvector 0.8's iterative index scans go on scanning the graph until the
 * query has its top-k or {@code hnsw.max_scan_tuples} were visited; {@code relaxed_order} lets results come
 * slightly out of order, which the search query sorts back ({@link PgPlanning} turns them on for every
 * connection). A tenant small enough is found faster through its btree index and an exact sort, which the planner
 * then chooses itself, since a filtered search is planned for its own values.
 */
final class PgFilter {

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
