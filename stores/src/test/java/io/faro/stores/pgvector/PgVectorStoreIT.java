package io.faro.stores.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.access.AccessScope;
import io.faro.core.model.SearchHit;
import io.faro.core.store.MetadataFilter;
import io.faro.core.store.VectorStore;
import io.faro.core.store.VectorStoreContract;
import io.faro.devstack.testing.TestPostgres;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** The store contract against a real PostgreSQL with pgvector, plus what is particular to pgvector. */
class PgVectorStoreIT extends VectorStoreContract {

    @Override
    protected VectorStore open(String name, String model, int dimension) {
        return PgVectorStore.open(TestPostgres.url(), name, model, dimension);
    }

    @Test
    void shouldGiveATableMadeBeforeTenantsItsTenantAndAclColumnsWithEveryRowInTheDefaultTenant() {
        store.upsert(List.of(chunk("old", 0, Map.of(), 1, 0, 0)));
        ((PgVectorStore) store).withConnection(conn -> Flux.from(conn.createStatement("ALTER TABLE " + storeName
                        + " DROP COLUMN tenant, DROP COLUMN acl").execute()).flatMap(r -> r.getRowsUpdated()).then(),
                "make the table as it was before tenants");
        store.close();

        store = open(storeName, MODEL, 3);

        assertThat(store.search(new float[] {1, 0, 0}, 5,
                MetadataFilter.NONE.within(AccessScope.of("default", Set.of()))))
                .extracting(SearchHit::docId).containsExactly("old");
        assertThat(store.search(new float[] {1, 0, 0}, 5, MetadataFilter.NONE.within(AccessScope.of("acme", Set.of()))))
                .isEmpty();
        assertThat(store.describe("old").acl()).isEmpty();
    }
}
