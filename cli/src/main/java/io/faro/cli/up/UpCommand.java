package io.faro.cli.up;

import io.faro.core.config.FaroConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * {@code faro up}: runs everything in this process until Ctrl-C or SIGTERM. It needs the dev stack on the
 * classpath, which {@code ./faro} adds for this command only; the image has none.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run FARO on this machine: Kafka, the topology, the store sinks and the gateway.")
public final class UpCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        FaroConfig config = FaroConfig.fromEnv();
        System.out.println("starting FARO (home " + config.home() + ")");
        LocalFaro faro = LocalFaro.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping FARO");
            faro.close();
            System.out.println("FARO stopped");
            stopped.countDown();
        }, "faro-shutdown"));
        System.out.println("FARO is ready: gateway " + faro.gatewayUrl() + ", Kafka " + faro.bootstrapServers()
                + ", PostgreSQL " + faro.pgUrl() + " (Ctrl-C to stop)");
        stopped.await();
        return 0;
    }
}
