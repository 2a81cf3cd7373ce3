package io.faro.stores.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.config.FaroConfig.PgSettings;
import io.faro.devstack.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/** Leadership by advisory lock against a real PostgreSQL: one leader per table, the next takes over when it goes. */
class PgLeaderLockIT {

    private static PgSettings table(String name) {
        return PgSettings.of(TestPostgres.url(), name);
    }

    @Test
    void shouldLetOneReplicaLeadAndAnotherTakeOverWhenItStops() {
        try (PgLeaderLock first = new PgLeaderLock(table("leader_lock_a"), "reconcile");
             PgLeaderLock second = new PgLeaderLock(table("leader_lock_a"), "reconcile");
             PgLeaderLock otherTable = new PgLeaderLock(table("leader_lock_b"), "reconcile")) {

            assertThat(first.lead()).isTrue();
            assertThat(first.lead()).as("keeps the lead it holds").isTrue();
            assertThat(second.lead()).isFalse();
            assertThat(otherTable.lead()).as("another installation has its own leader").isTrue();

            first.close();

            assertThat(second.lead()).isTrue();
            assertThat(first.lead()).as("a closed lock leads no more").isFalse();
        }
    }
}
