package io.faro.deploy.strimzi;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.topic.Topics;
import io.faro.deploy.strimzi.StrimziFiles.Parsed;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class KafkaTopicsTest {

    private final List<Parsed> all = StrimziFiles.readAll();
    private final Kafka kafka = StrimziFilesTest.resources(all, Kafka.class).getFirst();
    private final List<KafkaTopic> topics = StrimziFilesTest.resources(all, KafkaTopic.class);

    @Test
    void shouldDeclareEveryFaroTopicAsFaroChecksItAtStartUp() {
        // then
        assertThat(topics).extracting(TopicCheck::topicName)
                .containsExactlyInAnyOrderElementsOf(Topics.EVERY.stream().map(Topics.TopicSpec::name).toList());
        assertThat(TopicCheck.problems(topics, kafka)).isEmpty();
    }

    @Test
    void shouldRefuseEmbeddingsThatAreNotCompactedByFarosOwnRule() {
        // given
        List<KafkaTopic> changed = changed(Topics.EMBEDDINGS.name(), t -> t.getSpec().getConfig()
                .put(Topics.CLEANUP_POLICY, "delete"));

        // then: word for word what a component says at start-up with FARO_TOPICS_MODE=verify
        assertThat(TopicCheck.problems(changed, kafka)).containsExactly(
                "faro.embeddings has cleanup.policy=delete, but FARO needs compact in it: FARO replays the topic as"
                        + " the latest record of every chunk, and deleting by age would lose chunks. Set"
                        + " cleanup.policy=compact on the topic");
    }

    @Test
    void shouldRefuseADocumentsTopicTooSmallForFarosLargestDocument() {
        // given
        List<KafkaTopic> changed = changed(Topics.DOCUMENTS.name(), t -> t.getSpec().getConfig()
                .put(Topics.MAX_MESSAGE_BYTES, 524_288));

        // then
        assertThat(TopicCheck.problems(changed, kafka)).singleElement().asString()
                .startsWith("faro.documents takes records of up to max.message.bytes=524288 bytes (set on the topic),"
                        + " but FARO_MAX_DOCUMENT_BYTES=921600 needs at least 929792");
    }

    @Test
    void shouldHoldATopicWithoutItsOwnLimitToTheBrokers() {
        // given faro.dlq without max.message.bytes, on brokers that take 500 kB
        List<KafkaTopic> changed = changed(Topics.DLQ.name(), t -> t.getSpec().getConfig()
                .remove(Topics.MAX_MESSAGE_BYTES));
        Kafka smallRecords = StrimziFiles.copy(kafka, Kafka.class);
        smallRecords.getSpec().getKafka().getConfig().put(ClusterCheck.MESSAGE_MAX_BYTES, 500_000);

        // then
        assertThat(TopicCheck.problems(changed, smallRecords)).singleElement().asString()
                .startsWith("faro.dlq takes records of up to max.message.bytes=500000 bytes (the broker's"
                        + " message.max.bytes, which the topic inherits)");
    }

    @Test
    void shouldMissATopicThatIsNotDeclared() {
        // given
        List<KafkaTopic> withoutDlq = topics.stream().filter(t -> !TopicCheck.topicName(t).equals(Topics.DLQ.name()))
                .toList();

        // then
        assertThat(TopicCheck.problems(withoutDlq, kafka)).containsExactly("faro.dlq does not exist: create it");
    }

    @Test
    void shouldRefuseFewerReplicasOrInSyncReplicas() {
        // given
        List<KafkaTopic> changed = changed(Topics.CHUNKS.name(), t -> {
            t.getSpec().setReplicas(2);
            t.getSpec().getConfig().put(TopicCheck.MIN_INSYNC_REPLICAS, 1);
        });

        // then
        assertThat(TopicCheck.problems(changed, kafka)).containsExactly(
                "faro.chunks has 2 replicas, but must have 3, one per zone",
                "faro.chunks has min.insync.replicas=1, but must have 2: a write is committed on two zones");
    }

    @Test
    void shouldRefuseTombstonesThatAStoreOutageOrARebuildCanOutlast() {
        // given Kafka's default: one day
        List<KafkaTopic> changed = changed(Topics.EMBEDDINGS.name(), t -> t.getSpec().getConfig()
                .put(TopicCheck.DELETE_RETENTION_MS, 86_400_000));

        // then
        assertThat(TopicCheck.problems(changed, kafka)).singleElement().asString()
                .startsWith("faro.embeddings has delete.retention.ms=86400000: keep tombstones at least 604800000 ms");
    }

    @Test
    void shouldRefuseATopicOfAnotherClusterOrNotFaros() {
        // given
        List<KafkaTopic> changed = changed(Topics.DOCUMENTS.name(), t -> t.getMetadata().getLabels()
                .put("strimzi.io/cluster", "other"));
        KafkaTopic stranger = StrimziFiles.copy(topics.getFirst(), KafkaTopic.class);
        stranger.getMetadata().setName("faro.documents-v2");
        List<KafkaTopic> withStranger = new ArrayList<>(topics);
        withStranger.add(stranger);

        // then
        assertThat(TopicCheck.problems(changed, kafka)).containsExactly(
                "faro.documents is not labelled strimzi.io/cluster: faro, so no Topic Operator makes it");
        assertThat(TopicCheck.problems(withStranger, kafka)).containsExactly(
                "KafkaTopic faro.documents-v2 is none of FARO's topics [faro.documents, faro.chunks, faro.embeddings,"
                        + " faro.dlq, faro.s3-source.state]");
    }

    /** Copies of the topics, with the one named {@code name} changed. */
    private List<KafkaTopic> changed(String name, Consumer<KafkaTopic> change) {
        return topics.stream().map(topic -> {
            KafkaTopic copy = StrimziFiles.copy(topic, KafkaTopic.class);
            copy.getSpec().setConfig(new LinkedHashMap<>(copy.getSpec().getConfig()));
            if (TopicCheck.topicName(copy).equals(name)) {
                change.accept(copy);
            }
            return copy;
        }).toList();
    }
}
