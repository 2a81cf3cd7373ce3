package io.faro.bench.store;

import io.faro.core.store.StoreException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Plain JDBC to the PostgreSQL FARO uses, for what the benchmarks do beside FARO: read versions, search
 * exactly, and drop the tables a benchmark made. Takes FARO's URL forms ({@code postgresql://...}).
 */
public final class Postgres {

    private Postgres() {
    }

    public static Connection connect(String url) {
        URI uri = URI.create(url.replaceFirst("^(jdbc:|r2dbc:)", "").replaceFirst("^postgres://", "postgresql://"));
        Properties props = new Properties();
        if (uri.getRawUserInfo() != null) {
            String[] user = uri.getRawUserInfo().split(":", 2);
            props.setProperty("user", URLDecoder.decode(user[0], StandardCharsets.UTF_8));
            if (user.length == 2) {
                props.setProperty("password", URLDecoder.decode(user[1], StandardCharsets.UTF_8));
            }
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        try {
            return DriverManager.getConnection(jdbc, props);
        } catch (SQLException e) {
            throw new StoreException("cannot connect to PostgreSQL at " + uri.getHost() + ":" + uri.getPort() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The server's and the pgvector extension's versions. */
    public static Map<String, String> versions(String url) {
        Map<String, String> versions = new LinkedHashMap<>();
        try (Connection conn = connect(url); Statement statement = conn.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SHOW server_version")) {
                rs.next();
                versions.put("postgresql", rs.getString(1));
            }
            try (ResultSet rs = statement.executeQuery(
                    "SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
                versions.put("pgvector", rs.next() ? rs.getString(1) : "(not installed yet)");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read PostgreSQL's version: " + e.getMessage(), e);
        }
        return versions;
    }

    /** Drops every table whose name starts with the prefix, and forgets them in FARO's table registry. */
    public static void dropTablesStartingWith(String url, String prefix) {
        try (Connection conn = connect(url)) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement select = conn.prepareStatement("SELECT tablename FROM pg_tables"
                    + " WHERE schemaname = current_schema() AND starts_with(tablename, ?)")) {
                select.setString(1, prefix);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
            }
            try (Statement statement = conn.createStatement()) {
                for (String table : tables) {
                    statement.execute("DROP TABLE IF EXISTS \"" + table.replace("\"", "\"\"") + "\"");
                }
            }
            try (PreparedStatement forget = conn.prepareStatement("DELETE FROM faro_vector_tables"
                    + " WHERE starts_with(table_name, ?)")) {
                forget.setString(1, prefix);
                forget.executeUpdate();
            } catch (SQLException e) {
                // no registry: FARO never made a table here
            }
        } catch (SQLException e) {
            throw new StoreException("cannot drop the benchmark's tables " + prefix + "*: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a {@code CHECKPOINT}, so that a timed phase starts with no checkpoint under way: with
     * {@code max_wal_size} at its default, a bulk load into an HNSW index starts one every half a minute, and a
     * phase that runs beside one (its writes, and the full-page images of every page first touched after it starts)
     * measures slower than one that does not. Answers false where the server refuses (a user without
     * {@code pg_checkpoint}).
     */
    public static boolean checkpoint(String url) {
        try (Connection conn = connect(url); Statement statement = conn.createStatement()) {
            statement.execute("CHECKPOINT");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
