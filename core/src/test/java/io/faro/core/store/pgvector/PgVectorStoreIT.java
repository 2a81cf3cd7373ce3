package io.faro.core.store.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.VectorStore;
import io.faro.core.store.VectorStoreContract;
import io.faro.core.testing.TestPostgres;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store contract against a real PostgreSQL with pgvector, plus what is particular to pgvector. */
class PgVectorStoreIT extends VectorStoreContract {

    @Override
    protected VectorStore open(String name, String model, int dimension) {
        return PgVectorStore.open(TestPostgres.url(), name, model, dimension);
    }

    private static EmbeddedChunk version(long docVersion, String text) {
        return new EmbeddedChunk(new Chunk("a#0", "a", docVersion, 0, "T", text, Map.of()), MODEL, 3,
                new float[] {1, 0, 0});
    }

    @Test
    void shouldNotLetAnOlderDocumentVersionOverwriteANewerOne() {
        store.upsert(List.of(version(5, "version five")));

        store.upsert(List.of(version(3, "version three")));

        assertThat(store.search(new float[] {1, 0, 0}, 1).getFirst().text()).isEqualTo("version five");
        store.upsert(List.of(version(6, "version six")));
        assertThat(store.search(new float[] {1, 0, 0}, 1).getFirst().text()).isEqualTo("version six");
    }
}
