package io.faro.cli.up;

import io.faro.cli.component.Components;
import io.faro.cli.component.EmbeddingModels;
import io.faro.core.Component;
import io.faro.core.config.FaroConfig;
import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.devstack.LocalPostgres;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Everything FARO runs, on one machine, as {@code faro up} runs it: the components that {@code faro run}
 * starts one by one, plus what only a developer's machine needs, from the dev stack: a private PostgreSQL
 * unless {@code FARO_PG_URL} is given, an embedded Kafka broker unless {@code FARO_KAFKA_BOOTSTRAP} is.
 * The Qdrant sink runs when {@code FARO_QDRANT_URL} is set. Closing stops them in reverse order.
 */
public final class LocalFaro implements AutoCloseable {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private FaroConfig config;
    private Components components;
    private LocalPostgres postgres;

    private final EmbeddingModels models;

    private LocalFaro(FaroConfig config, EmbeddingModels models) {
        this.config = config;
        this.models = models;
    }

    public static LocalFaro start(FaroConfig config) {
        return start(config, EmbeddingModels.CONFIGURED);
    }

    /** With embedding models of the caller's ({@code faro bench ceiling}'s, which cost nothing). */
    public static LocalFaro start(FaroConfig config, EmbeddingModels models) {
        LocalFaro faro = new LocalFaro(config, models);
        try {
            faro.startAll();
        } catch (RuntimeException e) {
            faro.close();
            throw e;
        }
        return faro;
    }

    private void startAll() {
        if (config.pg().url().isEmpty()) {
            postgres = LocalPostgres.startForHome(config.home(), config.pg().port());
            started.push(postgres);
            config = config.with(config.kafka(), config.http(), config.pg().withUrl(postgres.url()));
        }
        if (config.kafka().bootstrap().isEmpty()) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config.home().resolve("kafka"),
                    config.kafka().embeddedPort());
            started.push(broker);
            config = config.with(config.kafka().withBootstrap(broker.bootstrapServers()), config.http(), config.pg());
        }
        Set<Component> all = EnumSet.allOf(Component.class);
        if (config.qdrant().isEmpty()) {
            all.remove(Component.SINK_QDRANT);
        }
        components = Components.start(config, all, Set.of(), models);
        started.push(components);
    }

    /** The settings FARO runs with, the dev stack's addresses filled in. */
    public FaroConfig config() {
        return config;
    }

    public String gatewayUrl() {
        return components.gatewayUrl();
    }

    public String metricsUrl() {
        return components.metricsUrl();
    }

    public String bootstrapServers() {
        return config.kafka().bootstrapServers();
    }

    public String pgUrl() {
        return config.pg().urlOrLocal();
    }

    /** Where the private PostgreSQL cluster keeps its data, when FARO runs one. */
    public Optional<Path> postgresDataDir() {
        return Optional.ofNullable(postgres).map(LocalPostgres::dataDir);
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                // keep stopping the rest; each part logs its own trouble
            }
        }
    }
}
