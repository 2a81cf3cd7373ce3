package io.faro.core.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.topic.TopicVerifier.Described;
import io.faro.core.topic.TopicVerifier.Forbidden;
import io.faro.core.topic.TopicVerifier.Found;
import io.faro.core.topic.TopicVerifier.Missing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.junit.jupiter.api.Test;

class TopicVerifierTest {

    private static final int MAX_DOCUMENT_BYTES = 900 * 1024;
    private static final String BROKER_DEFAULT = "1048588";

    @Test
    void shouldFindNothingWrongWithTopicsAsFaroCreatesThem() {
        // given every topic, the compacted ones compacted, record size the broker's default
        Map<String, Described> topics = rightTopics();

        // when
        List<String> problems = TopicVerifier.problems(topics, MAX_DOCUMENT_BYTES);

        // then
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldAskTheS3SourceForItsCompactedStateTopicAndNoOtherComponent() {
        // given the pipeline's topics as they should be, and no state topic
        Map<String, Described> topics = rightTopics();

        // when
        List<String> source = TopicVerifier.problems(topics, MAX_DOCUMENT_BYTES, Topics.S3_SOURCE);
        List<String> pipeline = TopicVerifier.problems(topics, MAX_DOCUMENT_BYTES);

        // then
        assertThat(source).containsExactly("faro.s3-source.state does not exist: create it with cleanup.policy=compact");
        assertThat(pipeline).isEmpty();
    }

    @Test
    void shouldNameTheTopicAndTheSettingWhenEmbeddingsAreNotCompacted() {
        // given
        Map<String, Described> topics = rightTopics();
        topics.put(Topics.EMBEDDINGS.name(), topic("delete", BROKER_DEFAULT, ConfigSource.DEFAULT_CONFIG));

        // when
        List<String> problems = TopicVerifier.problems(topics, MAX_DOCUMENT_BYTES);

        // then
        assertThat(problems).singleElement().asString()
                .startsWith("faro.embeddings has cleanup.policy=delete")
                .contains("Set cleanup.policy=compact on the topic");
    }

    @Test
    void shouldAcceptCompactionCombinedWithDeletion() {
        // given
        Map<String, Described> topics = rightTopics();
        topics.put(Topics.CHUNKS.name(), topic("compact,delete", BROKER_DEFAULT, ConfigSource.DEFAULT_CONFIG));

        // when
        List<String> problems = TopicVerifier.problems(topics, MAX_DOCUMENT_BYTES);

        // then
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReportEveryMissingTopicAndHowToCreateIt() {
        // given
        Map<String, Described> topics = rightTopics();
        topics.put(Topics.CHUNKS.name(), new Missing());
        topics.remove(Topics.DLQ.name());

        // when
        List<String> problems = TopicVerifier.problems(topics, MAX_DOCUMENT_BYTES);

        // then
        assertThat(problems).containsExactly(
                "faro.chunks does not exist: create it with cleanup.policy=compact",
                "faro.dlq does not exist: create it");
    }

    @Test
    void shouldRefuseDocumentsTopicThatInheritsABrokerLimitBelowTheDocumentLimit() {
        // given documents of up to 2 MiB, and topics that take the broker's 1 MiB
        Map<String, Described> topics = rightTopics();
        int maxDocumentBytes = 2 * 1024 * 1024;

        // when
        List<String> problems = TopicVerifier.problems(topics, maxDocumentBytes);

        // then
        assertThat(problems).hasSize(2);
        assertThat(problems.getFirst())
                .startsWith("faro.documents takes records of up to max.message.bytes=1048588 bytes (the broker's")
                .contains("FARO_MAX_DOCUMENT_BYTES=2097152 needs at least " + Topics.documentRecordBytes(maxDocumentBytes))
                .contains("lower FARO_MAX_DOCUMENT_BYTES");
        assertThat(problems.get(1)).startsWith("faro.dlq takes records of up to").contains("dead letters");
    }

    @Test
    void shouldSayWhenTheLimitIsSetOnTheTopicItself() {
        // given
        Map<String, Described> topics = rightTopics();
        topics.put(Topics.DOCUMENTS.name(), topic("delete", "100000", ConfigSource.DYNAMIC_TOPIC_CONFIG));

        // when
        List<String> problems = TopicVerifier.problems(topics, MAX_DOCUMENT_BYTES);

        // then
        assertThat(problems).singleElement().asString().contains("max.message.bytes=100000 bytes (set on the topic)");
    }

    @Test
    void shouldTellWhichPermissionIsMissingWhenATopicCannotBeDescribed() {
        // given
        Map<String, Described> topics = rightTopics();
        topics.put(Topics.EMBEDDINGS.name(), new Forbidden("DescribeConfigs"));

        // when
        List<String> problems = TopicVerifier.problems(topics, MAX_DOCUMENT_BYTES);

        // then
        assertThat(problems).singleElement().asString()
                .startsWith("faro.embeddings cannot be checked: this Kafka user may not DescribeConfigs it")
                .contains("faro kafka-ids");
    }

    @Test
    void shouldHoldDeclaredTopicsToTheSameRule() {
        // given topics as a platform declares them: compaction where FARO needs it, record size from the broker
        Map<String, Map<String, String>> declared = new HashMap<>();
        for (Topics.TopicSpec spec : Topics.ALL) {
            declared.put(spec.name(), spec.configs());
        }

        // when
        List<String> problems = TopicVerifier.problems(declared, Long.parseLong(BROKER_DEFAULT), MAX_DOCUMENT_BYTES);

        // then
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldLetADeclaredTopicWithoutItsOwnLimitInheritTheBrokers() {
        // given a broker that takes 100 kB, faro.dlq without a limit of its own, and no faro.chunks
        Map<String, Map<String, String>> declared = new HashMap<>();
        declared.put(Topics.DOCUMENTS.name(), Map.of(Topics.MAX_MESSAGE_BYTES,
                Integer.toString(Topics.documentRecordBytes(MAX_DOCUMENT_BYTES))));
        declared.put(Topics.EMBEDDINGS.name(), Topics.EMBEDDINGS.configs());
        declared.put(Topics.DLQ.name(), Map.of());

        // when
        List<String> problems = TopicVerifier.problems(declared, 100_000, MAX_DOCUMENT_BYTES);

        // then
        assertThat(problems).hasSize(2);
        assertThat(problems.getFirst()).isEqualTo("faro.chunks does not exist: create it with cleanup.policy=compact");
        assertThat(problems.get(1)).startsWith("faro.dlq takes records of up to max.message.bytes=100000 bytes"
                + " (the broker's message.max.bytes, which the topic inherits)");
    }

    private static Map<String, Described> rightTopics() {
        Map<String, Described> topics = new HashMap<>();
        for (Topics.TopicSpec spec : Topics.ALL) {
            topics.put(spec.name(), topic(spec.compacted() ? "compact" : "delete", BROKER_DEFAULT,
                    ConfigSource.STATIC_BROKER_CONFIG));
        }
        return topics;
    }

    private static Found topic(String cleanupPolicy, String maxMessageBytes, ConfigSource maxMessageBytesSource) {
        return new Found(new Config(List.of(
                new ConfigEntry(Topics.CLEANUP_POLICY, cleanupPolicy),
                new ConfigEntry(Topics.MAX_MESSAGE_BYTES, maxMessageBytes, maxMessageBytesSource, false, false,
                        List.of(), ConfigEntry.ConfigType.INT, null))));
    }
}
