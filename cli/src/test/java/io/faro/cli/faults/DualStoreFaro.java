package io.faro.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.cli.up.LocalFaro;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.store.VectorStore;
import io.faro.stores.pgvector.PgVectorStore;
import io.faro.stores.qdrant.QdrantStore;
import io.faro.devstack.testing.TestPostgres;
import io.faro.stores.testing.qdrant.QdrantStandIn;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * FARO in one process with both stores (the shared test PostgreSQL and a Qdrant stand-in), small chunks
 * and two partitions, plus what the rebuild and re-embedding suites check it with: a view of each store,
 * a tracked publisher, the checker, and the ids of the documents published.
 */
final class DualStoreFaro implements AutoCloseable {

    final QdrantStandIn qdrant;
    final FaroConfig config;
    final LocalFaro faro;
    final VectorStore pgvectorView;
    final VectorStore qdrantView;
    final TrackedPublisher publisher;
    final StoreChecker checker;
    final Set<String> ids = ConcurrentHashMap.newKeySet();

    private DualStoreFaro(String name, Map<String, String> settings) {
        qdrant = QdrantStandIn.start();
        String table = name + "_" + (System.nanoTime() % 100_000);
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry(FaroConfig.HOME, TestPostgres.tempDirOthersCanEnter("faro-" + name + "-").toString()),
                Map.entry(FaroConfig.KAFKA_PORT, Integer.toString(TestPostgres.freePort())),
                Map.entry(FaroConfig.HTTP_PORT, "0"),
                Map.entry(FaroConfig.PG_URL, TestPostgres.url()),
                Map.entry(FaroConfig.PG_TABLE, table),
                Map.entry(FaroConfig.QDRANT_URL, qdrant.url()),
                Map.entry(FaroConfig.QDRANT_COLLECTION, table),
                Map.entry(FaroConfig.SINK_LINGER_MS, "50"),
                Map.entry(FaroConfig.CHUNK_SIZE_TOKENS, "32"),
                Map.entry(FaroConfig.CHUNK_OVERLAP_TOKENS, "0"),
                Map.entry(FaroConfig.TOPIC_PARTITIONS, "2")));
        env.putAll(settings);
        config = FaroConfig.from(Env.of(env));
        faro = LocalFaro.start(config);
        String model = config.embedding().model();
        int dimension = config.embedding().dimension();
        pgvectorView = PgVectorStore.open(TestPostgres.url(), table, model, dimension);
        qdrantView = QdrantStore.open(qdrant.url(), Optional.empty(), table, model, dimension, Duration.ofSeconds(2));
        publisher = new TrackedPublisher(faro.bootstrapServers());
        checker = new StoreChecker(faro.bootstrapServers());
    }

    /** Starts FARO with these settings over the defaults above; {@code name} prefixes its table and home. */
    static DualStoreFaro start(String name, Map<String, String> settings) {
        return new DualStoreFaro(name, settings);
    }

    /** Publishes {@code count} documents of three paragraphs, {@code <prefix>-0...}. */
    void publish(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            ids.add(publisher.publish(prefix + "-" + i, TrackedPublisher.text(i, 3)));
        }
    }

    /** Waits until both stores agree with the topic on every published document. */
    void assertConsistent(Duration quiet) {
        assertThat(checker.awaitAgreement(List.of(pgvectorView, qdrantView), ids, publisher::isSettled, quiet))
                .as("differences between the topic and the stores").isEmpty();
    }

    /** The models of every vector in both stores' live copies. */
    Set<String> models() {
        String alias = config.qdrant().orElseThrow().collection();
        Set<String> models = qdrant.pointIds(alias).stream()
                .map(id -> (String) qdrant.payload(alias, id).get("model")).collect(Collectors.toSet());
        ConnectionFactory factory = ConnectionFactories.get("r2dbc:" + TestPostgres.url());
        models.addAll(Mono.usingWhen(Mono.from(factory.create()),
                        conn -> Flux.from(conn.createStatement("SELECT DISTINCT model FROM " + config.pg().table())
                                        .execute())
                                .flatMap(result -> result.map((row, meta) -> row.get("model", String.class)))
                                .collectList(),
                        conn -> conn.close())
                .block(Duration.ofSeconds(30)));
        return models;
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : new AutoCloseable[] {publisher, pgvectorView, qdrantView, faro, qdrant}) {
            try {
                closeable.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }
}
