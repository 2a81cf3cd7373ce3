package io.faro.cli.kafkaids;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.Json;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.kafka.TopicsMode;
import io.faro.core.topic.Topics;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What {@code faro kafka-ids} prints, from {@link KafkaIds}: a Markdown table for people (the README's
 * "Kafka ids and ACLs" holds the same text), and JSON for tools that check ACLs against it.
 */
record KafkaIdsReport(List<KafkaIds.Access> components, List<KafkaIds.Access> connectors,
                      List<KafkaIds.Access> commands, Startup startup) {

    /** What every component does to FARO's topics at start-up, by {@code FARO_TOPICS_MODE}. */
    record Startup(List<String> topics, List<String> verify, List<String> create) {
    }

    private static final String NONE = "-";

    static KafkaIdsReport current() {
        return new KafkaIdsReport(KafkaIds.components(), KafkaIds.connectors(), KafkaIds.commands(), new Startup(
                KafkaIds.topicsCheckedAtStartup(), operations(TopicsMode.VERIFY), operations(TopicsMode.CREATE)));
    }

    String json() {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the Kafka ids as JSON", e);
        }
    }

    String table() {
        StringBuilder out = new StringBuilder();
        row(out, "component or command", "reads", "writes", "consumer group (application id)",
                "transactional id prefix", "internal topic prefix");
        row(out, "---", "---", "---", "---", "---", "---");
        Stream.of(components, connectors, commands).flatMap(List::stream).forEach(access -> row(out, access.name(),
                cell(access.reads()), cell(access.writes()), cell(access.groups()),
                cell(access.transactionalIdPrefixes()), cell(access.internalTopicPrefixes())));
        out.append('\n');
        row(out, "at start-up, every component", "topics", "operations");
        row(out, "---", "---", "---");
        row(out, FaroConfig.TOPICS_MODE + "=" + mode(TopicsMode.VERIFY), cell(startup.topics()), cell(startup.verify()));
        row(out, FaroConfig.TOPICS_MODE + "=" + mode(TopicsMode.CREATE), cell(startup.topics()), cell(startup.create()));
        out.append('\n')
                .append("Kafka Streams 4.1 names the transactional id of each stream thread\n")
                .append("`<application id>-<process UUID>-<thread index>` and its internal topics\n")
                .append("`<application id>-<store>-changelog`: grant both by prefix. Static membership names each\n")
                .append("instance `<application id>-<" + FaroConfig.INSTANCE_ID + ">` (group.instance.id), which no ACL names.\n")
                .append("The gateway reads " + Topics.EMBEDDINGS.name() + " for its background reconciliation ("
                        + FaroConfig.RECONCILE_INTERVAL_S + ") and\n")
                .append(Topics.DLQ.name() + " for rejected documents (each replica all of it), and writes "
                        + Topics.DOCUMENTS.name() + " for uploads;\n")
                .append("it and the commands read with assigned partitions: neither uses a consumer group.\n")
                .append("The s3-source also checks " + Topics.S3_SOURCE_STATE.name() + " at start-up (and creates it with"
                        + " create); its\n")
                .append("transactional id is `" + KafkaIds.S3_SOURCE_TRANSACTIONAL_ID_PREFIX + "0` on every replica,"
                        + " so that a new lister fences the former one.\n");
        return out.toString();
    }

    private static void row(StringBuilder out, String... cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String cell(List<String> values) {
        return values.isEmpty() ? NONE : String.join(", ", values);
    }

    private static List<String> operations(TopicsMode mode) {
        return KafkaIds.topicOperationsAtStartup(mode).stream().map(KafkaIds::aclName).toList();
    }

    private static String mode(TopicsMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
