package io.faro.cli;

import io.faro.cli.apikey.ApiKeyCommand;
import io.faro.cli.kafkaids.KafkaIdsCommand;
import io.faro.cli.publish.PublishCommand;
import io.faro.cli.rebuild.RebuildCommand;
import io.faro.cli.reconcile.ReconcileCommand;
import io.faro.cli.reembed.ReembedCommand;
import io.faro.cli.restore.RestoreCommand;
import io.faro.cli.run.RunCommand;
import io.faro.core.FaroException;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code faro} command. */
@Command(name = "faro", mixinStandardHelpOptions = true, version = "FARO 0.1.0",
        description = "Streaming ingestion for retrieval-augmented generation on Apache Kafka.",
        subcommands = {RunCommand.class, PublishCommand.class, ReconcileCommand.class, RebuildCommand.class,
                ReembedCommand.class, RestoreCommand.class, KafkaIdsCommand.class, ApiKeyCommand.class})
public final class FaroCommand {

    /** The class of {@code faro up}, which needs the dev stack: only on the classpath {@code ./faro up} gets. */
    private static final String UP_COMMAND = "io.faro.cli.up.UpCommand";
    private static final String DEV_STACK = "io.faro.devstack.EmbeddedKafkaBroker";

    public static void main(String[] args) {
        // Helidon logs through java.util.logging; route it to the same log as everything else.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        CommandLine commandLine = new CommandLine(new FaroCommand());
        if (onClasspath(DEV_STACK)) {
            commandLine.addSubcommand(instantiate(UP_COMMAND));
        } else if (args.length > 0 && args[0].equals("up")) {
            System.err.println("faro: 'faro up' runs FARO on one machine with its own Kafka and PostgreSQL; this"
                    + " installation (the container image) runs one component at a time: faro run COMPONENT");
            System.exit(2);
        }
        commandLine
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof FaroException) {
                        cmd.getErr().println("faro: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                });
        System.exit(commandLine.execute(args));
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, FaroCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Object instantiate(String className) {
        try {
            return Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + className, e);
        }
    }
}
