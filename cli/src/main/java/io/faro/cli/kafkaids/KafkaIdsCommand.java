package io.faro.cli.kafkaids;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code faro kafka-ids [--json]}: every id FARO uses in Kafka, per component and command, so that
 * least-privilege ACLs (Strimzi KafkaUsers) can be written from it and checked against it.
 */
@Command(name = "kafka-ids", mixinStandardHelpOptions = true,
        description = "Print the topics, consumer groups, transactional ids and internal topics each component uses"
                + " in Kafka, and what it needs at start-up: what its ACLs must allow.")
public final class KafkaIdsCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print JSON for tools instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        print(json, System.out);
        return 0;
    }

    static void print(boolean json, PrintStream out) {
        KafkaIdsReport report = KafkaIdsReport.current();
        out.print(json ? report.json() + "\n" : report.table());
    }
}
