package io.faro.cli.up;

import io.faro.core.config.FaroConfig;
import java.nio.file.Path;
import java.util.Optional;
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
        System.out.println(readyLine(faro.gatewayUrl(), faro.bootstrapServers(), faro.pgUrl(), faro.postgresDataDir()));
        if (config.http().console()) {
            System.out.println(consoleLine(faro.gatewayUrl()));
        }
        if (!config.auth().enabled()) {
            System.out.println(authOffLine(faro.gatewayUrl()));
        }
        stopped.await();
        return 0;
    }

    /** What {@code faro up} says when its gateway takes every request, as it does unless keys or OIDC are set. */
    static String authOffLine(String gateway) {
        return "authentication is off: whoever reaches " + gateway + " may search, publish and delete; set "
                + FaroConfig.API_KEYS_FILE + " to require API keys (README \"Authentication\")";
    }

    /** Where the console is, for a person who would rather not use curl. */
    static String consoleLine(String gateway) {
        return "console: open " + gateway + "/ in a browser (" + FaroConfig.CONSOLE + "=false turns it off)";
    }

    /** What {@code faro up} prints once it serves: where each part is, and where the private cluster keeps its data. */
    static String readyLine(String gateway, String kafka, String pgUrl, Optional<Path> pgData) {
        return "FARO is ready: gateway " + gateway + ", Kafka " + kafka + ", PostgreSQL " + pgUrl
                + pgData.map(dir -> " (data in " + dir + ")").orElse("") + " (Ctrl-C to stop)";
    }
}
