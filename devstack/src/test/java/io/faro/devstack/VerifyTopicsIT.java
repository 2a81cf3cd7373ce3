package io.faro.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.faro.core.FaroException;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.topic.TopicInitializer;
import io.faro.core.topic.Topics;
import io.faro.devstack.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code FARO_TOPICS_MODE=verify} against a real broker: start-up refuses missing or wrong topics, and changes nothing. */
class VerifyTopicsIT {

    @TempDir
    static Path dir;

    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), TestPostgres.freePort());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @BeforeEach
    void deleteFarosTopics() throws Exception {
        List<String> present = faroTopicsPresent();
        admin.deleteTopics(present).all().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> faroTopicsPresent().isEmpty());
    }

    @Test
    void shouldStartWhenEveryTopicIsAsFaroNeedsIt() throws Exception {
        // given the topics as a platform made them: compacted where FARO needs it, compact,delete on one
        createTopics(Map.of(Topics.CHUNKS.name(), Map.of("cleanup.policy", "compact,delete")));

        // when / then
        assertThatCode(() -> TopicInitializer.ensureTopics(verifying(), FaroConfig.DEFAULT_MAX_DOCUMENT_BYTES))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseToStartNamingTopicAndSettingWhenEmbeddingsAreNotCompacted() throws Exception {
        // given
        createTopics(Map.of(Topics.EMBEDDINGS.name(), Map.of("cleanup.policy", "delete")));

        // when / then
        assertThatThrownBy(() -> TopicInitializer.ensureTopics(verifying(), FaroConfig.DEFAULT_MAX_DOCUMENT_BYTES))
                .isInstanceOf(FaroException.class)
                .hasMessageContaining("FARO_TOPICS_MODE=verify")
                .hasMessageContaining("faro.embeddings has cleanup.policy=delete, but FARO needs compact");
    }

    @Test
    void shouldRefuseToStartWhenATopicIsMissing() throws Exception {
        // given every topic but faro.dlq
        createTopics(Map.of());
        admin.deleteTopics(List.of(Topics.DLQ.name())).all().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> !faroTopicsPresent().contains(Topics.DLQ.name()));

        // when / then
        assertThatThrownBy(() -> TopicInitializer.ensureTopics(verifying(), FaroConfig.DEFAULT_MAX_DOCUMENT_BYTES))
                .isInstanceOf(FaroException.class)
                .hasMessageContaining("faro.dlq does not exist");
    }

    @Test
    void shouldRefuseDocumentsTopicThatTakesLessThanTheDocumentLimitNeeds() throws Exception {
        // given topics that inherit the broker's limit of about 1 MiB, and documents of up to 2 MiB
        createTopics(Map.of());
        int maxDocumentBytes = 2 * 1024 * 1024;

        // when / then
        assertThatThrownBy(() -> TopicInitializer.ensureTopics(verifying(), maxDocumentBytes))
                .isInstanceOf(FaroException.class)
                .hasMessageContaining("faro.documents takes records of up to max.message.bytes=")
                .hasMessageContaining("FARO_MAX_DOCUMENT_BYTES=" + maxDocumentBytes + " needs at least "
                        + Topics.documentRecordBytes(maxDocumentBytes));
    }

    @Test
    void shouldCreateAndAlterNothingWhenVerifying() throws Exception {
        // given a missing faro.dlq and a faro.chunks that is not compacted
        createTopics(Map.of(Topics.CHUNKS.name(), Map.of("cleanup.policy", "delete")));
        admin.deleteTopics(List.of(Topics.DLQ.name())).all().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> !faroTopicsPresent().contains(Topics.DLQ.name()));
        Map<String, Map<String, String>> before = topicConfigs();

        // when
        assertThatThrownBy(() -> TopicInitializer.ensureTopics(verifying(), FaroConfig.DEFAULT_MAX_DOCUMENT_BYTES))
                .isInstanceOf(FaroException.class);

        // then
        assertThat(topicConfigs()).isEqualTo(before);
        assertThat(before).doesNotContainKey(Topics.DLQ.name());
        assertThat(before.get(Topics.CHUNKS.name())).containsEntry("cleanup.policy", "delete");
    }

    private KafkaSettings verifying() {
        return FaroConfig.from(Env.of(Map.of(
                FaroConfig.KAFKA_BOOTSTRAP, broker.bootstrapServers(),
                FaroConfig.TOPICS_MODE, "verify"))).kafka();
    }

    /** All of FARO's topics, with the compaction FARO needs unless {@code overrides} says otherwise. */
    private static void createTopics(Map<String, Map<String, String>> overrides) throws Exception {
        List<NewTopic> topics = Topics.ALL.stream()
                .map(spec -> new NewTopic(spec.name(), 2, (short) 1)
                        .configs(overrides.getOrDefault(spec.name(), spec.configs())))
                .toList();
        admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        // created is not yet listed: the broker's metadata follows the controller a moment later
        List<String> names = topics.stream().map(NewTopic::name).toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> faroTopicsPresent().containsAll(names));
    }

    private static List<String> faroTopicsPresent() throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(name -> Topics.ALL.stream().anyMatch(spec -> spec.name().equals(name)))
                .toList();
    }

    /** Every config of every FARO topic present, by topic. */
    private static Map<String, Map<String, String>> topicConfigs() throws Exception {
        List<ConfigResource> resources = faroTopicsPresent().stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        return admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), e -> e.getValue().entries().stream()
                        .filter(entry -> entry.value() != null)
                        .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value, (a, b) -> a, TreeMap::new)),
                        (a, b) -> a, TreeMap::new));
    }
}
