package io.faro.stores.pgvector;

import io.faro.core.config.ConfigException;

/** Accepts the ways people write a PostgreSQL URL and gives the R2DBC form. */
final class PgUrls {

    private PgUrls() {
    }

    static String toR2dbc(String url) {
        if (url.startsWith("r2dbc:postgresql://") || url.startsWith("r2dbc:postgres://")) {
            return url;
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            return "r2dbc:" + url;
        }
        if (url.startsWith("jdbc:postgresql://")) {
            return "r2dbc:" + url.substring("jdbc:".length());
        }
        throw new ConfigException("FARO_PG_URL=" + url + " is not a PostgreSQL URL; write it as "
                + "postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
    }
}
