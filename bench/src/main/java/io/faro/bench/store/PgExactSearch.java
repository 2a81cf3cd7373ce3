package io.faro.bench.store;

import com.pgvector.PGvector;
import io.faro.core.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact search in FARO's pgvector table: the same ORDER BY as FARO's query, with index scans switched
 * off for the transaction, so PostgreSQL scans and sorts every row instead of walking the HNSW graph; and the
 * same query through the graph at a chosen {@code hnsw.ef_search}, to measure what that setting costs and finds.
 * One connection; not for concurrent use.
 */
public final class PgExactSearch implements ExactSearch {

    /** For the transaction: PostgreSQL scans and sorts every row, the exact answer. */
    private static final String WITHOUT_INDEX_SCANS = "SET LOCAL enable_indexscan = off";

    private final Connection conn;
    private final String sql;
    private final java.util.Optional<String> tenant;

    public PgExactSearch(String url, String table) {
        this(url, table, java.util.Optional.empty());
    }

    /** Exact search among the rows of one tenant, when {@code tenant} is given. */
    public PgExactSearch(String url, String table, java.util.Optional<String> tenant) {
        this.conn = Postgres.connect(url);
        this.tenant = tenant;
        this.sql = "SELECT chunk_id, content, 1 - (embedding <=> ?) AS score FROM " + table
                + (tenant.isPresent() ? " WHERE tenant = ?" : "") + " ORDER BY embedding <=> ? LIMIT ?";
        try {
            conn.setAutoCommit(false);
        } catch (SQLException e) {
            close();
            throw new StoreException("cannot open a transaction on PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Hit> search(float[] vector, int topK) {
        return run(WITHOUT_INDEX_SCANS, vector, topK, "exact search");
    }

    /** The query through the HNSW index, whose walk keeps {@code efSearch} candidates ({@code hnsw.ef_search}). */
    public List<Hit> searchIndexed(float[] vector, int topK, int efSearch) {
        return run("SET LOCAL hnsw.ef_search = " + efSearch, vector, topK, "search by the HNSW index");
    }

    private List<Hit> run(String setting, float[] vector, int topK, String what) {
        try {
            try (Statement statement = conn.createStatement()) {
                statement.execute(setting);
            }
            List<Hit> hits = new ArrayList<>(topK);
            try (PreparedStatement query = conn.prepareStatement(sql)) {
                bind(query, vector, topK);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        hits.add(new Hit(rs.getString(1), rs.getString(2), rs.getDouble(3)));
                    }
                }
            }
            conn.commit();
            return hits;
        } catch (SQLException e) {
            throw new StoreException(what + " in pgvector failed: " + e.getMessage(), e);
        }
    }

    /** Runs these statements in one transaction, such as an index built again; returns the seconds they took. */
    public double execute(List<String> statements) {
        long start = System.nanoTime();
        try (Statement statement = conn.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
            conn.commit();
            return (System.nanoTime() - start) / 1e9;
        } catch (SQLException e) {
            throw new StoreException("pgvector: " + statements + " failed: " + e.getMessage(), e);
        }
    }

    /** The plan PostgreSQL uses for the exact query: proof that no index is walked. */
    public String plan(float[] vector, int topK) {
        try {
            withoutIndexScans();
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement explain = conn.prepareStatement("EXPLAIN " + sql)) {
                bind(explain, vector, topK);
                try (ResultSet rs = explain.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            conn.commit();
            return plan.toString();
        } catch (SQLException e) {
            throw new StoreException("explaining the exact search failed: " + e.getMessage(), e);
        }
    }

    private void withoutIndexScans() throws SQLException {
        try (Statement statement = conn.createStatement()) {
            statement.execute(WITHOUT_INDEX_SCANS);
        }
    }

    private void bind(PreparedStatement statement, float[] vector, int topK) throws SQLException {
        PGvector literal = new PGvector(vector);
        int at = 1;
        statement.setObject(at++, literal);
        if (tenant.isPresent()) {
            statement.setString(at++, tenant.get());
        }
        statement.setObject(at++, literal);
        statement.setInt(at, topK);
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
