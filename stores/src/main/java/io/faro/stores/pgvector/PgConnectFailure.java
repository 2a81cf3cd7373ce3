package io.faro.stores.pgvector;

import io.faro.core.config.FaroConfig;
import io.r2dbc.spi.R2dbcException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/**
 * A failure to connect or log in to PostgreSQL, told as what went wrong and which setting to check. It
 * quotes the server and the driver, which never echo a password, and names settings, never their values.
 */
final class PgConnectFailure {

    private static final String USER = "the user (" + FaroConfig.PG_USER + ", or the one in " + FaroConfig.PG_URL + ")";
    private static final String PASSWORD = "its password (" + FaroConfig.PG_PASSWORD_FILE + " or "
            + FaroConfig.PG_PASSWORD + ", or the one in " + FaroConfig.PG_URL + ")";

    private PgConnectFailure() {
    }

    /**
     * Why connecting to {@code where} failed and what to check, when {@code failure} is a connection or
     * log-in failure; empty for any other failure, such as a statement the server refused.
     */
    static Optional<String> explain(Throwable failure, String where) {
        return advice(failure).map(advice -> "cannot connect to PostgreSQL as " + where + ": " + advice);
    }

    private static Optional<String> advice(Throwable failure) {
        Optional<R2dbcException> refused = find(failure, R2dbcException.class, e -> e.getSqlState() != null);
        String state = refused.map(R2dbcException::getSqlState).orElse("");
        String message = refused.map(Throwable::getMessage).orElse("");
        if (state.equals("28P01")) {
            return Optional.of(message + ". Check " + USER + " and " + PASSWORD + ".");
        }
        if (state.equals("28000") && message.contains("no encryption")) {
            return Optional.of(message + ". The server lets this user in over TLS only: set " + FaroConfig.PG_SSLMODE
                    + "=require, or better verify-full with the server's CA in " + FaroConfig.PG_SSLROOTCERT + ".");
        }
        if (state.equals("28000")) {
            return Optional.of(message + ". Check " + USER + ", the database in " + FaroConfig.PG_URL + " and "
                    + FaroConfig.PG_SSLMODE + " against the server's pg_hba.conf.");
        }
        if (state.equals("3D000")) {
            return Optional.of(message + ". Check the database in " + FaroConfig.PG_URL + ".");
        }
        if (state.startsWith("08") && message.contains("hostname")) {
            return Optional.of(message + " The server's certificate does not name the host name or address in "
                    + FaroConfig.PG_URL + ", which " + FaroConfig.PG_SSLMODE + "=verify-full requires: connect by a"
                    + " name the certificate holds, or use " + FaroConfig.PG_SSLMODE + "=verify-ca.");
        }
        Optional<Throwable> untrusted = find(failure, Throwable.class, e -> e instanceof GeneralSecurityException
                || e instanceof SSLException && String.valueOf(e.getMessage()).contains("certificate"));
        if (untrusted.isPresent()) {
            return Optional.of("the server's certificate is not trusted (" + deepest(untrusted.get()) + "). Set "
                    + FaroConfig.PG_SSLROOTCERT + " to the CA certificates that signed it (for Amazon RDS, its"
                    + " global bundle), or check " + FaroConfig.PG_SSLMODE + ".");
        }
        if (find(failure, Throwable.class, e -> String.valueOf(e.getMessage()).contains("doesn't support SSL"))
                .isPresent()) {
            return Optional.of("the server does not offer TLS, which " + FaroConfig.PG_SSLMODE + " requires. Turn ssl"
                    + " on in the server, or set " + FaroConfig.PG_SSLMODE + "=prefer.");
        }
        if (find(failure, UnknownHostException.class, e -> true).isPresent()) {
            return Optional.of("the host in " + FaroConfig.PG_URL + " is not known (" + deepest(failure) + ").");
        }
        if (find(failure, ConnectException.class, e -> true).isPresent()) {
            return Optional.of("nothing answers there (" + deepest(failure) + "). Check the host and port in "
                    + FaroConfig.PG_URL + ", and that PostgreSQL runs.");
        }
        return Optional.empty();
    }

    private static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type, Predicate<T> test) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t) && test.test(type.cast(t))) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** The message of the innermost cause, which says most precisely what failed. */
    private static String deepest(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
