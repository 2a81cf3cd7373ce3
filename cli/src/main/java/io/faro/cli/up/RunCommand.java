package io.faro.cli.up;

import io.faro.core.config.FaroConfig;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code faro run COMPONENT...}: runs some of FARO's components against a Kafka cluster and stores that
 * run elsewhere ({@code FARO_KAFKA_BOOTSTRAP}, {@code FARO_PG_URL}, {@code FARO_QDRANT_URL}), until
 * Ctrl-C or SIGTERM. Each deployment of a cluster runs one component this way.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run components (ingest, sink-pgvector, sink-qdrant, gateway) against an existing Kafka and stores.")
public final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "COMPONENT", description = "ingest, sink-pgvector, sink-qdrant or gateway")
    List<String> components;

    @Override
    public Integer call() throws InterruptedException {
        FaroConfig config = FaroConfig.fromEnv();
        Set<FaroRuntime.Component> chosen = EnumSet.noneOf(FaroRuntime.Component.class);
        components.forEach(id -> chosen.add(FaroRuntime.Component.parse(id)));
        FaroRuntime runtime = FaroRuntime.startComponents(config, chosen);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "faro-shutdown"));
        System.out.println("FARO is running " + String.join(", ", components) + " against Kafka "
                + runtime.bootstrapServers() + " (Ctrl-C to stop)");
        stopped.await();
        return 0;
    }
}
