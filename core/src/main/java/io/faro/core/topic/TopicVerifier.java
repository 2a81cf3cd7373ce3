package io.faro.core.topic;

import io.faro.core.FaroException;
import io.faro.core.config.FaroConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code FARO_TOPICS_MODE=verify}: checks that each of FARO's topics exists with what FARO relies on, and
 * changes nothing. FARO relies on compaction of {@code faro.chunks} and {@code faro.embeddings} (they are
 * replayed as the latest record of every chunk), and on {@code faro.documents} and {@code faro.dlq} taking a
 * document of {@code FARO_MAX_DOCUMENT_BYTES}. It only describes topics and their configs.
 *
 * <p>The same rule checks topics that are declared rather than running ({@link #problems(Map, long, int)}), so
 * that Strimzi KafkaTopics are held to exactly what FARO checks at start-up.
 */
public final class TopicVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(TopicVerifier.class);

    private TopicVerifier() {
    }

    /** What the broker told of one topic. */
    sealed interface Described {
    }

    record Missing() implements Described {
    }

    /** This Kafka user may not describe the topic or its configs (a topic it may not describe also looks missing). */
    record Forbidden(String operation) implements Described {
    }

    record Found(Config config) implements Described {
    }

    static void verify(Admin admin, int maxDocumentBytes, List<Topics.TopicSpec> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> problems = problems(describe(admin, topics), maxDocumentBytes, topics);
        if (!problems.isEmpty()) {
            throw new FaroException("FARO's topics are not as FARO needs them, and with " + FaroConfig.TOPICS_MODE
                    + "=verify FARO changes nothing:\n  - " + String.join("\n  - ", problems)
                    + "\nFix the topics (for Strimzi, the spec of their KafkaTopics), or set " + FaroConfig.TOPICS_MODE
                    + "=create to let FARO create them and set what it relies on.");
        }
        LOG.info("{}=verify: topics {} are as FARO needs them", FaroConfig.TOPICS_MODE,
                topics.stream().map(Topics.TopicSpec::name).toList());
    }

    /** Each of these topics, described. */
    static Map<String, Described> describe(Admin admin, List<Topics.TopicSpec> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = topics.stream().map(Topics.TopicSpec::name).toList();
        Map<String, KafkaFuture<TopicDescription>> descriptions = admin.describeTopics(names).topicNameValues();
        Map<String, Described> described = new LinkedHashMap<>();
        List<ConfigResource> present = new ArrayList<>();
        for (String name : names) {
            try {
                descriptions.get(name).get(30, TimeUnit.SECONDS);
                present.add(new ConfigResource(ConfigResource.Type.TOPIC, name));
            } catch (ExecutionException e) {
                described.put(name, switch (e.getCause()) {
                    case UnknownTopicOrPartitionException missing -> new Missing();
                    case TopicAuthorizationException forbidden -> new Forbidden("Describe");
                    default -> throw e;
                });
            }
        }
        if (!present.isEmpty()) {
            for (var config : admin.describeConfigs(present).values().entrySet()) {
                String name = config.getKey().name();
                try {
                    described.put(name, new Found(config.getValue().get(30, TimeUnit.SECONDS)));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicAuthorizationException)) {
                        throw e;
                    }
                    described.put(name, new Forbidden("DescribeConfigs"));
                }
            }
        }
        return described;
    }

    /** What is wrong with the pipeline's topics as described, one sentence each; empty when nothing is. */
    static List<String> problems(Map<String, Described> topics, int maxDocumentBytes) {
        return problems(topics, maxDocumentBytes, Topics.ALL);
    }

    /** What is wrong with the topics of {@code specs} as described, one sentence each; empty when nothing is. */
    static List<String> problems(Map<String, Described> topics, int maxDocumentBytes, List<Topics.TopicSpec> specs) {
        List<String> problems = new ArrayList<>();
        for (Topics.TopicSpec spec : specs) {
            switch (topics.getOrDefault(spec.name(), new Missing())) {
                case Missing missing -> problems.add(spec.name() + " does not exist: create it"
                        + (spec.compacted() ? " with " + Topics.CLEANUP_POLICY + "=" + Topics.COMPACT : ""));
                case Forbidden forbidden -> problems.add(spec.name() + " cannot be checked: this Kafka user may not "
                        + forbidden.operation() + " it (or it does not exist). Allow Describe and DescribeConfigs on"
                        + " FARO's topics; faro kafka-ids lists what each component needs");
                case Found found -> {
                    if (spec.compacted()) {
                        compaction(spec, found.config(), problems);
                    }
                    if (spec.equals(Topics.DOCUMENTS) || spec.equals(Topics.DLQ)) {
                        recordSize(spec, found.config(), maxDocumentBytes, problems);
                    }
                }
            }
        }
        return problems;
    }

    /**
     * What is wrong with the pipeline's topics as declared, without a broker (e.g. Strimzi KafkaTopics), one sentence
     * each; empty when nothing is. A topic absent from {@code topicConfigs} is missing; a topic without its own
     * {@code max.message.bytes} inherits {@code brokerMessageMaxBytes}, the broker's {@code message.max.bytes}.
     *
     * @param topicConfigs each declared topic's name and the configs set on it
     */
    public static List<String> problems(Map<String, Map<String, String>> topicConfigs, long brokerMessageMaxBytes,
                                        int maxDocumentBytes) {
        return problems(topicConfigs, brokerMessageMaxBytes, maxDocumentBytes, Topics.ALL);
    }

    /** The same for the topics of {@code specs}: {@link Topics#EVERY} for a platform that declares the connectors' too. */
    public static List<String> problems(Map<String, Map<String, String>> topicConfigs, long brokerMessageMaxBytes,
                                        int maxDocumentBytes, List<Topics.TopicSpec> specs) {
        Map<String, Described> described = new LinkedHashMap<>();
        topicConfigs.forEach((name, configs) -> described.put(name, new Found(declared(configs, brokerMessageMaxBytes))));
        return problems(described, maxDocumentBytes, specs);
    }

    private static Config declared(Map<String, String> configs, long brokerMessageMaxBytes) {
        List<ConfigEntry> entries = new ArrayList<>();
        configs.forEach((name, value) -> entries.add(entry(name, value, ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)));
        if (!configs.containsKey(Topics.MAX_MESSAGE_BYTES)) {
            entries.add(entry(Topics.MAX_MESSAGE_BYTES, Long.toString(brokerMessageMaxBytes),
                    ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG));
        }
        return new Config(entries);
    }

    private static ConfigEntry entry(String name, String value, ConfigEntry.ConfigSource source) {
        return new ConfigEntry(name, value, source, false, false, List.of(), ConfigEntry.ConfigType.UNKNOWN, null);
    }

    private static void compaction(Topics.TopicSpec spec, Config config, List<String> problems) {
        ConfigEntry policy = config.get(Topics.CLEANUP_POLICY);
        String value = policy == null || policy.value() == null ? "delete" : policy.value();
        boolean compacted = Arrays.stream(value.split(","))
                .anyMatch(part -> part.trim().toLowerCase(Locale.ROOT).equals(Topics.COMPACT));
        if (!compacted) {
            problems.add(spec.name() + " has " + Topics.CLEANUP_POLICY + "=" + value + ", but FARO needs "
                    + Topics.COMPACT + " in it: FARO replays the topic as the latest record of every chunk, and"
                    + " deleting by age would lose chunks. Set " + Topics.CLEANUP_POLICY + "=" + Topics.COMPACT
                    + " on the topic");
        }
    }

    private static void recordSize(Topics.TopicSpec spec, Config config, int maxDocumentBytes, List<String> problems) {
        ConfigEntry limit = config.get(Topics.MAX_MESSAGE_BYTES);
        if (limit == null || limit.value() == null) {
            return; // the broker did not say; the producer will
        }
        int needed = Topics.documentRecordBytes(maxDocumentBytes);
        long allowed = Long.parseLong(limit.value());
        if (allowed < needed) {
            problems.add(spec.name() + " takes records of up to " + Topics.MAX_MESSAGE_BYTES + "=" + allowed + " bytes ("
                    + origin(limit) + "), but " + FaroConfig.MAX_DOCUMENT_BYTES + "=" + maxDocumentBytes
                    + " needs at least " + needed + (spec.equals(Topics.DLQ) ? " (dead letters carry documents"
                    + " unchanged)" : "") + ". Set " + Topics.MAX_MESSAGE_BYTES + " to " + needed
                    + " or more on the topic, or lower " + FaroConfig.MAX_DOCUMENT_BYTES);
        }
    }

    private static String origin(ConfigEntry entry) {
        if (entry.source() == null) {
            return "the broker's limit";
        }
        return switch (entry.source()) {
            case DYNAMIC_TOPIC_CONFIG -> "set on the topic";
            case DYNAMIC_BROKER_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG, STATIC_BROKER_CONFIG ->
                    "the broker's message.max.bytes, which the topic inherits";
            default -> "Kafka's default, which the topic inherits";
        };
    }
}
