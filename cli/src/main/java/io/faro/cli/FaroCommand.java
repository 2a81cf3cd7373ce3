package io.faro.cli;

import io.faro.cli.publish.PublishCommand;
import io.faro.cli.rebuild.RebuildCommand;
import io.faro.cli.reconcile.ReconcileCommand;
import io.faro.cli.reembed.ReembedCommand;
import io.faro.cli.up.RunCommand;
import io.faro.cli.up.UpCommand;
import io.faro.core.FaroException;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code faro} command. */
@Command(name = "faro", mixinStandardHelpOptions = true, version = "FARO 0.1.0",
        description = "Streaming ingestion for retrieval-augmented generation on Apache Kafka.",
        subcommands = {UpCommand.class, RunCommand.class, PublishCommand.class, ReconcileCommand.class,
                RebuildCommand.class, ReembedCommand.class})
public final class FaroCommand {

    public static void main(String[] args) {
        // Helidon logs through java.util.logging; route it to the same log as everything else.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        CommandLine commandLine = new CommandLine(new FaroCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof FaroException) {
                        cmd.getErr().println("faro: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                });
        System.exit(commandLine.execute(args));
    }
}
