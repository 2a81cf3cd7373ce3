package io.faro.deploy.strimzi;

import io.faro.core.Component;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.kafka.TopicsMode;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.KafkaUserTlsClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import io.strimzi.api.kafka.model.user.acl.StrimziAclOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclOperation;

/**
 * FARO's KafkaUsers against FARO's own list of what each component and command uses in Kafka
 * ({@link KafkaIds}, printed by {@code faro kafka-ids}): each user must be allowed exactly that, nothing less
 * (the component would fail) and nothing more (least privilege).
 */
final class UserCheck {

    /** The user of the commands ({@code faro publish}, {@code rebuild}, {@code reembed}, {@code reconcile}). */
    static final String CLI_USER = "faro-cli";

    private static final String TOPIC = AclRuleTopicResource.TYPE_TOPIC;
    private static final String GROUP = AclRuleGroupResource.TYPE_GROUP;
    private static final String TRANSACTIONAL_ID = AclRuleTransactionalIdResource.TYPE_TRANSACTIONAL_ID;
    private static final String CLUSTER = AclRuleClusterResource.TYPE_CLUSTER;
    private static final String LITERAL = AclResourcePatternType.LITERAL.toValue();
    private static final String PREFIX = AclResourcePatternType.PREFIX.toValue();

    private UserCheck() {
    }

    /** One operation allowed on one resource, spelled as a KafkaUser spells it. */
    record Acl(String operation, String resourceType, String name, String patternType) implements Comparable<Acl> {

        @Override
        public int compareTo(Acl other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return operation + " on " + resourceType + (name == null ? "" : " " + name + " (" + patternType + ")");
        }
    }

    /** The KafkaUser of a component: {@code faro-} and its name on the command line. */
    static String userName(Component component) {
        return "faro-" + component.id();
    }

    /** What each of FARO's KafkaUsers must be allowed, by user name. */
    static Map<String, Set<Acl>> expected() {
        Map<String, Set<Acl>> users = new LinkedHashMap<>();
        for (Component component : Component.values()) {
            Set<Acl> acls = uses(KafkaIds.of(component));
            // every component checks FARO's topics at start-up; on Strimzi it only verifies them
            for (String topic : KafkaIds.topicsCheckedAtStartup()) {
                for (AclOperation operation : KafkaIds.topicOperationsAtStartup(TopicsMode.VERIFY)) {
                    acls.add(new Acl(KafkaIds.aclName(operation), TOPIC, topic, LITERAL));
                }
            }
            users.put(userName(component), acls);
        }
        Set<Acl> commands = new TreeSet<>();
        KafkaIds.commands().forEach(command -> commands.addAll(uses(command)));
        users.put(CLI_USER, commands);
        return users;
    }

    /** The ACLs that what one component or command uses in Kafka needs (README, "Kafka ids and ACLs"). */
    static Set<Acl> uses(KafkaIds.Access access) {
        Set<Acl> acls = new TreeSet<>();
        access.reads().forEach(topic -> acls.add(acl(AclOperation.READ, TOPIC, topic, LITERAL)));
        access.writes().forEach(topic -> acls.add(acl(AclOperation.WRITE, TOPIC, topic, LITERAL)));
        access.groups().forEach(group -> acls.add(acl(AclOperation.READ, GROUP, group, LITERAL)));
        for (String prefix : access.transactionalIdPrefixes()) {
            acls.add(acl(AclOperation.WRITE, TRANSACTIONAL_ID, prefix, PREFIX));
            acls.add(acl(AclOperation.DESCRIBE, TRANSACTIONAL_ID, prefix, PREFIX));
        }
        access.internalTopicPrefixes().forEach(prefix -> acls.add(acl(AclOperation.ALL, TOPIC, prefix, PREFIX)));
        return acls;
    }

    private static Acl acl(AclOperation operation, String resourceType, String name, String patternType) {
        return new Acl(KafkaIds.aclName(operation), resourceType, name, patternType);
    }

    /** What a KafkaUser's allow rules grant, one entry per operation. */
    static Set<Acl> granted(KafkaUser user) {
        Set<Acl> acls = new TreeSet<>();
        if (user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple && simple.getAcls() != null) {
            for (AclRule rule : simple.getAcls()) {
                if (rule.getType() == null || rule.getType() == AclRuleType.ALLOW) {
                    for (StrimziAclOperation operation : rule.getOperations()) {
                        acls.add(acl(operation, rule.getResource()));
                    }
                }
            }
        }
        return acls;
    }

    private static Acl acl(StrimziAclOperation operation, AclRuleResource resource) {
        return switch (resource) {
            case AclRuleTopicResource topic -> new Acl(operation.toValue(), TOPIC, topic.getName(), pattern(topic.getPatternType()));
            case AclRuleGroupResource group -> new Acl(operation.toValue(), GROUP, group.getName(), pattern(group.getPatternType()));
            case AclRuleTransactionalIdResource id ->
                    new Acl(operation.toValue(), TRANSACTIONAL_ID, id.getName(), pattern(id.getPatternType()));
            case AclRuleClusterResource cluster -> new Acl(operation.toValue(), CLUSTER, null, null);
            default -> throw new IllegalArgumentException("an ACL resource of type " + resource.getType());
        };
    }

    /** Strimzi's default pattern type is literal. */
    private static String pattern(AclResourcePatternType type) {
        return type == null ? LITERAL : type.toValue();
    }

    /**
     * What is wrong with one set of FARO's KafkaUsers (one file of them) on the cluster {@code cluster}, one sentence
     * each; empty when nothing is.
     */
    static List<String> problems(List<KafkaUser> users, String cluster) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<Acl>> expected = expected();
        Map<String, KafkaUser> byName = new LinkedHashMap<>();
        users.forEach(user -> byName.put(user.getMetadata().getName(), user));
        for (String name : expected.keySet()) {
            if (!byName.containsKey(name)) {
                problems.add("no KafkaUser " + name + ": each FARO component, and the commands, connect as a user of"
                        + " their own");
            }
        }
        for (KafkaUser user : users) {
            String name = user.getMetadata().getName();
            if (!expected.containsKey(name)) {
                problems.add("KafkaUser " + name + " is none of FARO's users " + expected.keySet());
                continue;
            }
            problems.addAll(userProblems(user, cluster, expected.get(name)));
        }
        return problems;
    }

    private static List<String> userProblems(KafkaUser user, String cluster, Set<Acl> expected) {
        List<String> problems = new ArrayList<>();
        String name = user.getMetadata().getName();
        Map<String, String> labels = user.getMetadata().getLabels();
        if (labels == null || !cluster.equals(labels.get("strimzi.io/cluster"))) {
            problems.add(name + " is not labelled strimzi.io/cluster: " + cluster + ", so no User Operator makes it");
        }
        if (!(user.getSpec().getAuthentication() instanceof KafkaUserTlsClientAuthentication)
                && !(user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication)) {
            problems.add(name + " must authenticate with tls or scram-sha-512, whose secrets FARO mounts");
        }
        if (!(user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple)) {
            problems.add(name + " must have authorization of type simple, with its ACLs");
            return problems;
        }
        for (AclRule rule : simple.getAcls() == null ? List.<AclRule>of() : simple.getAcls()) {
            if (rule.getType() == AclRuleType.DENY) {
                problems.add(name + " has a deny rule on " + rule.getResource().getType() + ": FARO's users are"
                        + " allowed exactly what they use, so nothing is left to deny");
            }
            if (rule.getHost() != null && !rule.getHost().equals("*")) {
                problems.add(name + " is allowed from host " + rule.getHost() + " only; pods have no fixed address");
            }
        }
        Set<Acl> granted = granted(user);
        for (Acl acl : expected) {
            if (!granted.contains(acl)) {
                problems.add(name + " lacks " + acl + ", which faro kafka-ids lists for it");
            }
        }
        for (Acl acl : granted) {
            if (!expected.contains(acl)) {
                problems.add(name + " is allowed " + acl + ", which faro kafka-ids does not list for it");
            }
        }
        return problems;
    }
}
