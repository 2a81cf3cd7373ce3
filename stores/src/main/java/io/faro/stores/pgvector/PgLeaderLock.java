package io.faro.stores.pgvector;

import io.faro.core.config.FaroConfig.PgSettings;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Leadership among the replicas of a component, for work that must run once per cluster (the background
 * reconciliation): a PostgreSQL session-level advisory lock, which FARO's durable store already provides,
 * so no other coordinator is needed. The leader holds the lock on a connection of its own for as long as it
 * lives; when the process dies or its connection breaks, PostgreSQL releases the lock and the next replica
 * that asks takes it. The lock key is derived from the pgvector table, so two FARO installations sharing one
 * database each have their own leader. {@link #lead} asks (and checks a held lock's connection); it is
 * called from one thread.
 */
public final class PgLeaderLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PgLeaderLock.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** "FARO" in the high half of the key, the table's hash in the low half. */
    private static final long KEY_SPACE = 0x4641524FL << 32;

    private final PgSettings pg;
    private final long key;
    private Optional<Connection> held = Optional.empty();
    private boolean closed;

    public PgLeaderLock(PgSettings pg, String purpose) {
        this.pg = pg;
        this.key = KEY_SPACE | ((purpose + ":" + pg.table()).hashCode() & 0xFFFFFFFFL);
    }

    /** Whether this process leads now: keeps a held lock while its connection answers, else tries to take it. */
    public synchronized boolean lead() {
        if (closed) {
            return false;
        }
        if (held.isPresent()) {
            if (ask(held.get(), "SELECT true")) {
                return true;
            }
            LOG.warn("lost the connection that held the leader lock {}; trying to take it again", key);
            release();
        }
        Connection connection = Mono.from(ConnectionFactories.get(PgUrls.options(pg)).create()).block(TIMEOUT);
        boolean taken = false;
        try {
            taken = ask(connection, "SELECT pg_try_advisory_lock(" + key + ")");
        } finally {
            if (taken) {
                held = Optional.of(connection);
            } else {
                Mono.from(connection.close()).block(TIMEOUT);
            }
        }
        return taken;
    }

    private static boolean ask(Connection connection, String sql) {
        try {
            return Boolean.TRUE.equals(Mono.from(connection.createStatement(sql).execute())
                    .flatMap(result -> Mono.from(result.map((row, meta) -> row.get(0, Boolean.class))))
                    .block(TIMEOUT));
        } catch (RuntimeException e) {
            LOG.debug("leader lock query failed: {}", e.getMessage());
            return false;
        }
    }

    private void release() {
        held.ifPresent(connection -> {
            try {
                Mono.from(connection.close()).block(TIMEOUT); // closing the session releases the lock
            } catch (RuntimeException e) {
                // the connection is gone already, and the lock with it
            }
        });
        held = Optional.empty();
    }

    @Override
    public synchronized void close() {
        closed = true;
        release();
    }
}
