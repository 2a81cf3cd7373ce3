package io.faro.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.Component;
import io.faro.core.Connector;
import io.faro.core.topic.Topics;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;

class KafkaIdsTest {

    @Test
    void shouldDescribeEveryComponentUnderItsCommandLineName() {
        assertThat(KafkaIds.components()).extracting(KafkaIds.Access::name)
                .containsExactly("ingest", "sink-pgvector", "sink-qdrant", "gateway");
    }

    @Test
    void shouldGiveEachSinkAGroupOfItsOwnSoThatOneSlowStoreHoldsUpNoOther() {
        assertThat(KafkaIds.of(Component.SINK_PGVECTOR).groups()).containsExactly("faro-sink-pgvector");
        assertThat(KafkaIds.of(Component.SINK_QDRANT).groups()).containsExactly("faro-sink-qdrant");
        assertThat(KafkaIds.of(Component.INGEST).groups()).containsExactly(KafkaIds.INGEST_APPLICATION_ID);
    }

    @Test
    void shouldCoverTheTransactionalIdsKafkaStreamsGivesAnExactlyOnceApplication() {
        // given the form of Kafka Streams 4.1 (exactly_once_v2): <application.id>-<process UUID>-<thread index>
        String transactionalId = KafkaIds.INGEST_APPLICATION_ID + "-" + UUID.randomUUID() + "-" + 1;

        // when
        List<String> prefixes = KafkaIds.of(Component.INGEST).transactionalIdPrefixes();

        // then
        assertThat(prefixes).singleElement().satisfies(prefix -> assertThat(transactionalId).startsWith(prefix));
    }

    @Test
    void shouldCoverTheChangelogsKafkaStreamsCreatesForEachApplication() {
        for (KafkaIds.Access access : KafkaIds.components()) {
            for (String application : access.groups()) {
                String changelog = application + "-" + "sink-buffer" + "-changelog";
                assertThat(access.internalTopicPrefixes()).anySatisfy(prefix -> assertThat(changelog).startsWith(prefix));
            }
        }
    }

    @Test
    void shouldGiveTheS3SourceOneFixedTransactionalIdSoThatANewListerFencesTheFormer() {
        // given: spring-kafka's producer factory appends the suffix of its one cached producer
        String transactionalId = KafkaIds.S3_SOURCE_TRANSACTIONAL_ID_PREFIX + "0";

        // then
        assertThat(KafkaIds.of(Connector.S3_SOURCE).transactionalIdPrefixes()).singleElement()
                .satisfies(prefix -> assertThat(transactionalId).startsWith(prefix));
        assertThat(KafkaIds.of(Connector.S3_SOURCE).writes())
                .containsExactly(Topics.DOCUMENTS.name(), Topics.S3_SOURCE_STATE.name());
        assertThat(KafkaIds.of(Connector.S3_SOURCE).groups()).containsExactly(KafkaIds.S3_SOURCE_GROUP);
    }

    @Test
    void shouldArchiveChunksInAGroupOfItsOwn() {
        assertThat(KafkaIds.of(Connector.CHUNK_ARCHIVE).reads()).containsExactly(Topics.CHUNKS.name());
        assertThat(KafkaIds.of(Connector.CHUNK_ARCHIVE).groups()).containsExactly(KafkaIds.CHUNK_ARCHIVE_GROUP);
        assertThat(KafkaIds.topicsCheckedAtStartup(Connector.S3_SOURCE)).contains(Topics.S3_SOURCE_STATE.name());
        assertThat(KafkaIds.topicsCheckedAtStartup()).doesNotContain(Topics.S3_SOURCE_STATE.name());
    }

    @Test
    void shouldOnlyNameFarosOwnTopics() {
        List<String> faroTopics = Topics.S3_SOURCE.stream().map(Topics.TopicSpec::name).toList();
        Stream.of(KafkaIds.components(), KafkaIds.connectors(), KafkaIds.commands()).flatMap(List::stream)
                .forEach(access -> {
                    assertThat(access.reads()).isSubsetOf(faroTopics);
                    assertThat(access.writes()).isSubsetOf(faroTopics);
                });
    }

    @Test
    void shouldOnlyDescribeTopicsAtStartUpWhenVerifying() {
        assertThat(KafkaIds.topicOperationsAtStartup(TopicsMode.VERIFY))
                .containsExactly(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        assertThat(KafkaIds.topicOperationsAtStartup(TopicsMode.CREATE))
                .contains(AclOperation.CREATE, AclOperation.ALTER_CONFIGS);
    }

    @Test
    void shouldSpellOperationsAsKafkaAclsAndStrimziDo() {
        assertThat(KafkaIds.aclName(AclOperation.DESCRIBE_CONFIGS)).isEqualTo("DescribeConfigs");
        assertThat(KafkaIds.aclName(AclOperation.CREATE)).isEqualTo("Create");
    }
}
