package io.faro.stores.qdrant;

import io.faro.core.store.VectorStore;
import io.faro.core.store.VectorStoreContract;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The same contract against a real Qdrant, so the stand-in can be checked against the real thing.
 * Skipped unless {@code QDRANT_URL} (gRPC, e.g. http://localhost:6334) is set; {@code QDRANT_API_KEY}
 * is used when set.
 */
@EnabledIfEnvironmentVariable(named = "QDRANT_URL", matches = ".+", disabledReason =
        "set QDRANT_URL=http://HOST:6334 (and QDRANT_API_KEY if needed) to run the store contract against a real Qdrant")
class RealQdrantStoreIT extends VectorStoreContract {

    private static final String URL = System.getenv("QDRANT_URL");

    @Override
    protected VectorStore open(String name, String model, int dimension) {
        return QdrantStore.open(URL, Optional.ofNullable(System.getenv("QDRANT_API_KEY")), name, model, dimension,
                Duration.ofSeconds(10));
    }
}
