package io.faro.stores.pgvector;

import io.faro.core.store.VectorStore;
import io.faro.core.store.VectorStoreContract;
import io.faro.devstack.testing.TestPostgres;

/** The store contract against a real PostgreSQL with pgvector. */
class PgVectorStoreIT extends VectorStoreContract {

    @Override
    protected VectorStore open(String name, String model, int dimension) {
        return PgVectorStore.open(TestPostgres.url(), name, model, dimension);
    }
}
