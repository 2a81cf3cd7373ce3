package io.faro.deploy.strimzi;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.Component;
import io.faro.deploy.strimzi.StrimziFiles.Parsed;
import io.faro.deploy.strimzi.UserCheck.Acl;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.KafkaUserTlsClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import io.strimzi.api.kafka.model.user.acl.StrimziAclOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KafkaUsersTest {

    private static final String TLS_USERS = "users.yaml";
    private static final String SCRAM_USERS = "scram-sha-512/users.yaml";

    private final List<Parsed> all = StrimziFiles.readAll();
    private final String cluster = StrimziFilesTest.resources(all, Kafka.class).getFirst().getMetadata().getName();

    @Test
    void shouldAllowEachUserExactlyWhatKafkaIdsSaysItUses() {
        for (String file : List.of(TLS_USERS, SCRAM_USERS)) {
            assertThat(UserCheck.problems(users(file), cluster)).as(file).isEmpty();
        }
    }

    @Test
    void shouldOfferScramAsTheSameUsersWithTheSameAcls() {
        // given
        Map<String, KafkaUser> tls = byName(users(TLS_USERS));
        Map<String, KafkaUser> scram = byName(users(SCRAM_USERS));

        // then
        assertThat(scram.keySet()).isEqualTo(tls.keySet());
        assertThat(tls.values()).allSatisfy(user -> assertThat(user.getSpec().getAuthentication())
                .isInstanceOf(KafkaUserTlsClientAuthentication.class));
        assertThat(scram.values()).allSatisfy(user -> assertThat(user.getSpec().getAuthentication())
                .isInstanceOf(KafkaUserScramSha512ClientAuthentication.class));
        tls.forEach((name, user) -> assertThat(UserCheck.granted(scram.get(name))).as(name)
                .isEqualTo(UserCheck.granted(user)));
    }

    @Test
    void shouldExpectWhatTheReadmeSaysEachKafkaIdNeeds() {
        // when
        Map<String, Set<Acl>> expected = UserCheck.expected();

        // then: the users are the components' and the commands'
        assertThat(expected.keySet()).containsExactly("faro-ingest", "faro-sink-pgvector", "faro-sink-qdrant",
                "faro-gateway", UserCheck.CLI_USER);
        // ingest: a transactional, exactly-once Kafka Streams application
        assertThat(expected.get(UserCheck.userName(Component.INGEST))).contains(
                new Acl("Read", "topic", "faro.documents", "literal"),
                new Acl("Write", "topic", "faro.embeddings", "literal"),
                new Acl("Read", "group", "faro-ingest", "literal"),
                new Acl("Write", "transactionalId", "faro-ingest-", "prefix"),
                new Acl("Describe", "transactionalId", "faro-ingest-", "prefix"),
                new Acl("All", "topic", "faro-ingest-", "prefix"),
                new Acl("DescribeConfigs", "topic", "faro.chunks", "literal"));
        // the gateway reads without a group; the commands check no topics (faro restore writes faro.chunks);
        // nobody needs the cluster
        assertThat(expected.get(UserCheck.userName(Component.GATEWAY))).noneMatch(acl -> acl.resourceType().equals("group"));
        assertThat(expected.get(UserCheck.CLI_USER)).containsExactlyInAnyOrder(
                new Acl("Write", "topic", "faro.documents", "literal"),
                new Acl("Read", "topic", "faro.chunks", "literal"),
                new Acl("Write", "topic", "faro.chunks", "literal"),
                new Acl("Read", "topic", "faro.embeddings", "literal"));
        assertThat(expected.values()).allSatisfy(acls -> assertThat(acls)
                .noneMatch(acl -> acl.resourceType().equals("cluster")));
    }

    @Test
    void shouldRefuseAnOperationKafkaIdsDoesNotList() {
        // given a gateway that may also create faro.embeddings
        List<KafkaUser> users = changed(TLS_USERS, "faro-gateway", rules -> rules.add(rule(
                topic("faro.embeddings", AclResourcePatternType.LITERAL), StrimziAclOperation.CREATE)));

        // then
        assertThat(UserCheck.problems(users, cluster)).containsExactly(
                "faro-gateway is allowed Create on topic faro.embeddings (literal), which faro kafka-ids does not list"
                        + " for it");
    }

    @Test
    void shouldRefuseIdempotentWriteOnTheClusterWhichKafka3ProducersNoLongerNeed() {
        // given
        List<KafkaUser> users = changed(TLS_USERS, "faro-ingest", rules -> rules.add(rule(new AclRuleClusterResource(),
                StrimziAclOperation.IDEMPOTENTWRITE)));

        // then
        assertThat(UserCheck.problems(users, cluster)).containsExactly(
                "faro-ingest is allowed IdempotentWrite on cluster, which faro kafka-ids does not list for it");
    }

    @Test
    void shouldMissTheConsumerGroupWhenItsRuleIsGone() {
        // given
        List<KafkaUser> users = changed(SCRAM_USERS, "faro-sink-qdrant",
                rules -> rules.removeIf(rule -> rule.getResource().getType().equals("group")));

        // then
        assertThat(UserCheck.problems(users, cluster)).containsExactly(
                "faro-sink-qdrant lacks Read on group faro-sink-qdrant (literal), which faro kafka-ids lists for it");
    }

    @Test
    void shouldTellALiteralFromAPrefix() {
        // given the internal topics of ingest granted as one literal topic 'faro-ingest-'
        List<KafkaUser> users = changed(TLS_USERS, "faro-ingest", rules -> rules.stream()
                .filter(rule -> rule.getResource() instanceof AclRuleTopicResource topic
                        && topic.getPatternType() == AclResourcePatternType.PREFIX)
                .forEach(rule -> ((AclRuleTopicResource) rule.getResource()).setPatternType(AclResourcePatternType.LITERAL)));

        // then
        assertThat(UserCheck.problems(users, cluster)).containsExactly(
                "faro-ingest lacks All on topic faro-ingest- (prefix), which faro kafka-ids lists for it",
                "faro-ingest is allowed All on topic faro-ingest- (literal), which faro kafka-ids does not list for it");
    }

    @Test
    void shouldRefuseDenyRulesAndAFixedHost() {
        // given
        List<KafkaUser> users = changed(TLS_USERS, "faro-cli", rules -> {
            AclRule deny = rule(topic("faro.dlq", AclResourcePatternType.LITERAL), StrimziAclOperation.READ);
            deny.setType(AclRuleType.DENY);
            rules.add(deny);
            rules.getFirst().setHost("10.0.0.7");
        });

        // then
        assertThat(UserCheck.problems(users, cluster)).anyMatch(p -> p.startsWith("faro-cli has a deny rule on topic"))
                .anyMatch(p -> p.startsWith("faro-cli is allowed from host 10.0.0.7 only"));
    }

    @Test
    void shouldMissAComponentWithoutAUserAndRefuseAStranger() {
        // given
        List<KafkaUser> users = new ArrayList<>(users(TLS_USERS));
        KafkaUser gateway = users.stream().filter(u -> u.getMetadata().getName().equals("faro-gateway")).findFirst()
                .orElseThrow();
        users.remove(gateway);
        KafkaUser stranger = StrimziFiles.copy(gateway, KafkaUser.class);
        stranger.getMetadata().setName("faro-admin");
        users.add(stranger);

        // then
        assertThat(UserCheck.problems(users, cluster)).containsExactly(
                "no KafkaUser faro-gateway: each FARO component, and the commands, connect as a user of their own",
                "KafkaUser faro-admin is none of FARO's users [faro-ingest, faro-sink-pgvector, faro-sink-qdrant,"
                        + " faro-gateway, faro-cli]");
    }

    @Test
    void shouldRefuseAUserOfAnotherCluster() {
        // given
        List<KafkaUser> users = users(TLS_USERS);

        // then
        assertThat(UserCheck.problems(users, "other")).hasSize(users.size())
                .allMatch(p -> p.endsWith("is not labelled strimzi.io/cluster: other, so no User Operator makes it"));
    }

    private List<KafkaUser> users(String file) {
        return all.stream().filter(p -> p.source().equals(file)).map(Parsed::resource)
                .filter(KafkaUser.class::isInstance).map(KafkaUser.class::cast).toList();
    }

    /** The users of {@code file}, copied, with the ACL rules of {@code name} changed. */
    private List<KafkaUser> changed(String file, String name, Consumer<List<AclRule>> change) {
        return users(file).stream().map(user -> {
            KafkaUser copy = StrimziFiles.copy(user, KafkaUser.class);
            if (copy.getMetadata().getName().equals(name)) {
                KafkaUserAuthorizationSimple simple = (KafkaUserAuthorizationSimple) copy.getSpec().getAuthorization();
                List<AclRule> rules = new ArrayList<>(simple.getAcls());
                change.accept(rules);
                simple.setAcls(rules);
            }
            return copy;
        }).toList();
    }

    private static Map<String, KafkaUser> byName(List<KafkaUser> users) {
        return users.stream().collect(Collectors.toMap(u -> u.getMetadata().getName(), u -> u));
    }

    private static AclRuleTopicResource topic(String name, AclResourcePatternType patternType) {
        AclRuleTopicResource topic = new AclRuleTopicResource();
        topic.setName(name);
        topic.setPatternType(patternType);
        return topic;
    }

    private static AclRule rule(AclRuleResource resource, StrimziAclOperation operation) {
        return new AclRule(AclRuleType.ALLOW, resource, "*", List.of(operation));
    }
}
