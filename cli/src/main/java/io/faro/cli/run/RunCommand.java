package io.faro.cli.run;

import io.faro.cli.component.Components;
import io.faro.core.Component;
import io.faro.core.Connector;
import io.faro.core.config.FaroConfig;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code faro run COMPONENT...}: runs some of FARO's components or connectors against a Kafka cluster and stores
 * that run elsewhere ({@code FARO_KAFKA_BOOTSTRAP}, {@code FARO_PG_URL}, {@code FARO_QDRANT_URL}, {@code FARO_S3_*}),
 * until Ctrl-C or SIGTERM. Each deployment of a cluster runs one component this way.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run components (ingest, sink-pgvector, sink-qdrant, gateway) or connectors (s3-source,"
                + " chunk-archive) against an existing Kafka and stores.")
public final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "COMPONENT",
            description = "ingest, sink-pgvector, sink-qdrant, gateway, s3-source or chunk-archive")
    List<String> components;

    @Override
    public Integer call() throws InterruptedException {
        FaroConfig config = FaroConfig.fromEnv();
        if (config.kafka().bootstrap().isEmpty()) {
            throw new io.faro.core.config.ConfigException("faro run needs " + FaroConfig.KAFKA_BOOTSTRAP
                    + ": the Kafka cluster to work with (faro up runs one of its own)");
        }
        Set<Component> chosen = EnumSet.noneOf(Component.class);
        Set<Connector> connectors = EnumSet.noneOf(Connector.class);
        for (String id : components) {
            if (Connector.isConnector(id)) {
                connectors.add(Connector.parse(id));
            } else {
                chosen.add(parse(id));
            }
        }
        if ((chosen.contains(Component.SINK_PGVECTOR) || chosen.contains(Component.GATEWAY))
                && config.pg().url().isEmpty()) {
            throw new io.faro.core.config.ConfigException("faro run " + String.join(" ", components) + " needs "
                    + FaroConfig.PG_URL + ": the PostgreSQL with pgvector to work with");
        }
        Components running = Components.start(config, chosen, connectors);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("FARO is stopping " + String.join(", ", components));
            running.close();
            System.out.println("FARO stopped");
            stopped.countDown();
        }, "faro-shutdown"));
        System.out.println("FARO is running " + String.join(", ", components) + " against Kafka "
                + running.bootstrapServers() + "; health and metrics on " + running.metricsUrl().replace("/metrics", "")
                + " (Ctrl-C to stop)");
        stopped.await();
        return 0;
    }

    private static Component parse(String id) {
        try {
            return Component.parse(id);
        } catch (io.faro.core.config.ConfigException e) {
            throw new io.faro.core.config.ConfigException("unknown component '" + id + "'; use one of "
                    + Arrays.stream(Component.values()).map(Component::id).toList() + " or a connector, one of "
                    + Arrays.stream(Connector.values()).map(Connector::id).toList());
        }
    }
}
