package io.faro.bench.stack;

import io.faro.bench.store.Postgres;
import io.faro.bench.store.Qdrant;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.StoreKind;
import io.faro.core.store.VectorStore;
import io.faro.stores.StoreFactory;
import io.faro.devstack.LocalPostgres;
import io.faro.devstack.testing.TestPostgres;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The stores a benchmark runs against, and fresh FARO configurations on them.
 * <ul>
 *   <li>PostgreSQL: {@code FARO_PG_URL} when set, else a private cluster in a temporary directory;</li>
 *   <li>Qdrant: {@code FARO_QDRANT_URL} when set, else the Qdrant stand-in from core's test-jar (an
 *       in-JVM gRPC server with exact brute-force search; results say so).</li>
 * </ul>
 * Every table and collection a benchmark makes is named after this session and removed on close.
 */
public final class Stack implements AutoCloseable {

    private final Map<String, String> env;
    private final String session = "bench_" + Long.toString(System.currentTimeMillis(), 36);
    private final List<Path> tempDirs = new ArrayList<>();
    private final FaroConfig base;
    private LocalPostgres privatePostgres;
    private String pgUrl;
    private QdrantStandIn standIn;
    private String qdrantUrl;
    private int names;

    private Stack(Map<String, String> env) {
        this.env = env;
        this.base = FaroConfig.from(Env.of(env));
    }

    /** Reaches (or starts) PostgreSQL, and Qdrant when {@code withQdrant}. */
    public static Stack start(Map<String, String> env, boolean withQdrant) {
        return start(env, withQdrant, Map.of());
    }

    /**
     * As {@link #start(Map, boolean)}, with server settings for the private PostgreSQL cluster over FARO's (a
     * server reached by {@code FARO_PG_URL} keeps its own).
     */
    public static Stack start(Map<String, String> env, boolean withQdrant, Map<String, String> pgSettings) {
        Stack stack = new Stack(env);
        try {
            stack.startStores(withQdrant, pgSettings);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startStores(boolean withQdrant, Map<String, String> pgSettings) {
        pgUrl = base.pg().url().orElseGet(() -> {
            privatePostgres = LocalPostgres.start(tempDir("faro-bench-pg-").resolve("data"), TestPostgres.freePort(),
                    pgSettings);
            return privatePostgres.url();
        });
        if (withQdrant) {
            qdrantUrl = base.qdrant().map(FaroConfig.QdrantSettings::url).orElseGet(() -> {
                standIn = QdrantStandIn.start();
                return standIn.url();
            });
        }
    }

    public String pgUrl() {
        return pgUrl;
    }

    public Optional<String> qdrantUrl() {
        return Optional.ofNullable(qdrantUrl);
    }

    public Optional<String> qdrantApiKey() {
        return base.qdrant().flatMap(FaroConfig.QdrantSettings::apiKey).map(io.faro.core.config.Secret::reveal);
    }

    public boolean qdrantIsStandIn() {
        return standIn != null;
    }

    /** What served as Qdrant, for the result. */
    public String qdrantDescription() {
        if (qdrantUrl == null) {
            return "not used";
        }
        return standIn != null
                ? "stand-in: core's in-JVM gRPC server speaking Qdrant's protocol, exact brute-force search"
                : "Qdrant at " + qdrantUrl;
    }

    /** PostgreSQL's and pgvector's versions, and what Qdrant was. */
    public Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>(Postgres.versions(pgUrl));
        versions.put("qdrant", qdrantDescription());
        return versions;
    }

    /** A table or collection name of this session: removed on close. */
    public String newName() {
        return String.format(java.util.Locale.ROOT, "%s_%03d", session, ++names);
    }

    /**
     * FARO's configuration from the environment, on these stores, with a fresh home, a free port for
     * its embedded broker, a gateway port chosen by the system, and the named table (and collection,
     * with Qdrant). {@code overrides} are FARO_* settings the benchmark fixes.
     */
    public FaroConfig faroConfig(String name, boolean withQdrant, Map<String, String> overrides) {
        Map<String, String> vars = new HashMap<>(env);
        vars.remove(FaroConfig.KAFKA_BOOTSTRAP);
        vars.put(FaroConfig.HOME, tempDir("faro-bench-home-").toString());
        vars.put(FaroConfig.KAFKA_PORT, Integer.toString(TestPostgres.freePort()));
        vars.put(FaroConfig.HTTP_PORT, "0");
        vars.put(FaroConfig.PG_URL, pgUrl);
        vars.put(FaroConfig.PG_TABLE, name);
        if (withQdrant) {
            vars.put(FaroConfig.QDRANT_URL, qdrantUrl().orElseThrow(() ->
                    new IllegalStateException("this stack was started without Qdrant")));
            vars.put(FaroConfig.QDRANT_COLLECTION, name);
        } else {
            vars.remove(FaroConfig.QDRANT_URL);
        }
        vars.putAll(overrides);
        return FaroConfig.from(Env.of(vars));
    }

    /** A store of this kind in the named table or collection, opened as FARO opens its stores. */
    public VectorStore openStore(String store, String name) {
        StoreKind kind = StoreFactory.parse(store);
        return StoreFactory.open(storeConfig(kind, name), kind);
    }

    /** The copies of a store of this kind whose live copy is the named table or collection. */
    public StoreCopies openCopies(String store, String name) {
        StoreKind kind = StoreFactory.parse(store);
        return StoreFactory.copies(storeConfig(kind, name), kind);
    }

    private FaroConfig storeConfig(StoreKind kind, String name) {
        return faroConfig(name, kind == StoreKind.QDRANT, Map.of(FaroConfig.QDRANT_TIMEOUT_MS, "30000"));
    }

    /** FARO's configuration as read from the environment. */
    public FaroConfig baseConfig() {
        return base;
    }

    /** A temporary directory the postgres user can enter, deleted on close. */
    public Path tempDir(String prefix) {
        Path dir = TestPostgres.tempDirOthersCanEnter(prefix);
        tempDirs.add(dir);
        return dir;
    }

    @Override
    public void close() {
        if (pgUrl != null && privatePostgres == null) {
            quietly(() -> Postgres.dropTablesStartingWith(pgUrl, session));
        }
        if (qdrantUrl != null && standIn == null) {
            quietly(() -> Qdrant.deleteCollectionsStartingWith(qdrantUrl, qdrantApiKey(), session));
        }
        if (standIn != null) {
            standIn.close();
        }
        if (privatePostgres != null) {
            privatePostgres.close();
        }
        tempDirs.forEach(Stack::deleteRecursively);
    }

    private static void quietly(Runnable cleanup) {
        try {
            cleanup.run();
        } catch (RuntimeException e) {
            System.err.println("faro bench: cleaning up: " + e.getMessage());
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // left for the system's temporary-file cleanup
                }
            });
        } catch (IOException e) {
            // already gone
        }
    }
}
