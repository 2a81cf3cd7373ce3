package io.faro.stores.pgvector;

import io.faro.core.config.ConfigException;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.PgSettings;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.postgresql.client.SSLMode;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import java.util.Optional;

/**
 * Turns {@link PgSettings} into R2DBC connection options: the URL in any of the ways people write it, then
 * the user, password and TLS settings kept apart from it, which win over the URL's.
 */
final class PgUrls {

    /** libpq's spelling, as in Amazon RDS's examples; R2DBC would ignore it without a word. */
    private static final Option<String> LIBPQ_SSL_ROOT_CERT = Option.valueOf("sslrootcert");

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
        ConnectionFactoryOptions fromUrl = options.build();
        pg.user().ifPresent(user -> options.option(ConnectionFactoryOptions.USER, user));
        pg.password().ifPresent(password -> options.option(ConnectionFactoryOptions.PASSWORD, password.reveal()));
        Optional<String> rootCert = pg.sslRootCert().map(Object::toString)
                .or(() -> Optional.ofNullable(fromUrl.getValue(PostgresqlConnectionFactoryProvider.SSL_ROOT_CERT))
                        .map(Object::toString))
                .or(() -> Optional.ofNullable(fromUrl.getValue(LIBPQ_SSL_ROOT_CERT)).map(Object::toString));
        rootCert.ifPresent(ca -> options.option(PostgresqlConnectionFactoryProvider.SSL_ROOT_CERT, ca));
        Optional<SSLMode> mode = pg.sslMode().map(m -> SSLMode.fromValue(Env.spelling(m))).or(() -> sslMode(fromUrl));
        if (rootCert.isPresent() && mode.isEmpty()) {
            // A CA given means: check the server with it. Without a mode R2DBC would not even use TLS.
            mode = Optional.of(SSLMode.VERIFY_FULL);
        }
        if (rootCert.isPresent() && !mode.get().verifyCertificate()) {
            throw new ConfigException(FaroConfig.PG_SSLROOTCERT + " is set, but with " + FaroConfig.PG_SSLMODE + "="
                    + mode.get() + " the server's certificate is not checked against it. Set "
                    + FaroConfig.PG_SSLMODE + "=verify-full (or verify-ca), or unset " + FaroConfig.PG_SSLROOTCERT);
        }
        mode.ifPresent(m -> options.option(PostgresqlConnectionFactoryProvider.SSL_MODE, m));
        return options.build();
    }

    /** The URL's own {@code sslMode} or libpq's {@code sslmode}, when it has one. */
    private static Optional<SSLMode> sslMode(ConnectionFactoryOptions url) {
        Object mode = url.hasOption(PostgresqlConnectionFactoryProvider.SSL_MODE)
                ? url.getValue(PostgresqlConnectionFactoryProvider.SSL_MODE)
                : url.getValue(PostgresqlConnectionFactoryProvider.SSL_MODE_ALIAS);
        if (mode == null || mode instanceof SSLMode) {
            return Optional.ofNullable((SSLMode) mode);
        }
        try {
            return Optional.of(SSLMode.fromValue(mode.toString()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FaroConfig.PG_URL + " has sslmode=" + mode + ", which is not one of disable,"
                    + " allow, prefer, require, verify-ca, verify-full");
        }
    }

    /** Where these options connect, as a message may say it: user, host, port, database and TLS, no password. */
    static String describe(ConnectionFactoryOptions options) {
        Object mode = options.getValue(PostgresqlConnectionFactoryProvider.SSL_MODE);
        return options.getValue(ConnectionFactoryOptions.USER) + "@" + options.getValue(ConnectionFactoryOptions.HOST)
                + ":" + Optional.ofNullable(options.getValue(ConnectionFactoryOptions.PORT)).orElse(5432)
                + "/" + Optional.ofNullable(options.getValue(ConnectionFactoryOptions.DATABASE)).orElse("")
                + " (sslmode " + (mode == null ? "disable" : mode) + ")";
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

    /**
     * The URL with any password in it masked, for messages: a {@code password=} parameter, and everything
     * between the user's colon and the last {@code @}, so that a password holding {@code @} or {@code /}
     * does not show either. An {@code @} in the query may mask more than the password; never less.
     */
    static String redacted(String url) {
        String masked = url.replaceAll("(?i)(password=)[^&]*", "$1****");
        int authority = masked.indexOf("//");
        int at = masked.lastIndexOf('@');
        if (authority < 0 || at < authority) {
            return masked;
        }
        int colon = masked.indexOf(':', authority + 2);
        return colon < 0 || colon > at ? masked : masked.substring(0, colon + 1) + "****" + masked.substring(at);
    }
}
