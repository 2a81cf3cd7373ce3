package io.faro.stores;

import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.Secret;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.StoreKind;
import io.faro.core.store.VectorStore;
import io.faro.stores.pgvector.PgCopies;
import io.faro.stores.pgvector.PgVectorStore;
import io.faro.stores.qdrant.QdrantCopies;
import io.faro.stores.qdrant.QdrantStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Opens the vector stores from configuration: the one place every part of FARO (the components, the
 * maintenance commands, the benchmarks) gets a store from, and so the place a wrapper around every store
 * goes.
 */
public final class StoreFactory {

    private StoreFactory() {
    }

    /** The stores this configuration uses: Qdrant when {@code FARO_QDRANT_URL} is set, and pgvector. */
    public static List<StoreKind> configured(FaroConfig config) {
        List<StoreKind> kinds = new ArrayList<>();
        config.qdrant().ifPresent(qdrant -> kinds.add(StoreKind.QDRANT));
        kinds.add(StoreKind.PGVECTOR);
        return kinds;
    }

    /** A store by its name ({@code qdrant}, {@code pgvector}), as a user types it. */
    public static StoreKind parse(String name) {
        return Arrays.stream(StoreKind.values())
                .filter(kind -> kind.id().equals(name.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new ConfigException("unknown store '" + name + "'; use qdrant or pgvector"));
    }

    /**
     * Opens the live copy of a store for the configured model, creating its table or collection when missing.
     * Fails, saying why, when the store holds another model or cannot be reached.
     */
    public static VectorStore open(FaroConfig config, StoreKind kind) {
        String model = config.embedding().model();
        int dimension = config.embedding().dimension();
        return switch (kind) {
            case PGVECTOR -> PgVectorStore.open(config.pg(), config.pg().table(), model, dimension,
                    config.search().keywordLanguage());
            case QDRANT -> {
                FaroConfig.QdrantSettings qdrant = qdrant(config);
                yield QdrantStore.open(qdrant.url(), qdrant.apiKey().map(Secret::reveal), qdrant.collection(), model,
                        dimension, Duration.ofMillis(qdrant.timeoutMs()), config.search().keywordLanguage());
            }
        };
    }

    /** The copies of a store, for rebuilds and re-embeddings. */
    public static StoreCopies copies(FaroConfig config, StoreKind kind) {
        return switch (kind) {
            case PGVECTOR -> PgCopies.open(config.pg(), config.search().keywordLanguage());
            case QDRANT -> {
                FaroConfig.QdrantSettings qdrant = qdrant(config);
                yield QdrantCopies.open(qdrant.url(), qdrant.apiKey().map(Secret::reveal), qdrant.collection(),
                        Duration.ofMillis(qdrant.timeoutMs()), config.search().keywordLanguage());
            }
        };
    }

    private static FaroConfig.QdrantSettings qdrant(FaroConfig config) {
        return config.qdrant().orElseThrow(() ->
                new ConfigException("qdrant is not configured: set " + FaroConfig.QDRANT_URL));
    }
}
