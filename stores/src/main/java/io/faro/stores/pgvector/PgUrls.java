package io.faro.stores.pgvector;

import io.faro.core.config.ConfigException;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.PgSettings;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.postgresql.client.SSLMode;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * Turns {@link PgSettings} into R2DBC connection options: the URL in any of the ways people write it, then
 * the user, password and TLS settings kept apart from it, which win over the URL's.
 */
final class PgUrls {

    private PgUrls() {
    }

    static ConnectionFactoryOptions options(PgSettings pg) {
        ConnectionFactoryOptions.Builder options;
        try {
            options = ConnectionFactoryOptions.parse(toR2dbc(pg.urlOrLocal())).mutate();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FaroConfig.PG_URL + "=" + redacted(pg.urlOrLocal()) + " cannot be read: "
                    + redacted(String.valueOf(e.getMessage())));
        }
        pg.user().ifPresent(user -> options.option(ConnectionFactoryOptions.USER, user));
        pg.password().ifPresent(password -> options.option(ConnectionFactoryOptions.PASSWORD, password.reveal()));
        pg.sslMode().ifPresent(mode -> options.option(PostgresqlConnectionFactoryProvider.SSL_MODE,
                SSLMode.fromValue(Env.spelling(mode))));
        pg.sslRootCert().ifPresent(ca -> options.option(PostgresqlConnectionFactoryProvider.SSL_ROOT_CERT, ca.toString()));
        return options.build();
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
        throw new ConfigException(FaroConfig.PG_URL + "=" + redacted(url) + " is not a PostgreSQL URL; write it as "
                + "postgresql://USER@HOST:PORT/DATABASE, with the password in " + FaroConfig.PG_PASSWORD_FILE);
    }

    /** The URL with any password in it masked, for messages. */
    static String redacted(String url) {
        return url.replaceAll("(//[^/:@]*:)[^@/]*@", "$1****@").replaceAll("(?i)(password=)[^&]*", "$1****");
    }
}
