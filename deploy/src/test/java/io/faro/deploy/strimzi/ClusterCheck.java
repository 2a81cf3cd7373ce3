package io.faro.deploy.strimzi;

import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.faro.core.config.FaroConfig;
import io.faro.core.topic.Topics;
import io.strimzi.api.kafka.model.common.TopologyLabelRack;
import io.strimzi.api.kafka.model.kafka.JbodStorage;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.KafkaClusterSpec;
import io.strimzi.api.kafka.model.kafka.PersistentClaimStorage;
import io.strimzi.api.kafka.model.kafka.SingleVolumeStorage;
import io.strimzi.api.kafka.model.kafka.Storage;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthentication;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationTls;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kafka cluster of {@code strimzi/kafka.yaml} against what FARO and a production cluster rely on: KRaft node
 * pools that survive a zone, rack awareness, replication 3 with {@code min.insync.replicas} 2, TLS with
 * mTLS and SCRAM, simple authorization, records of FARO's largest document.
 */
final class ClusterCheck {

    static final int REPLICAS = 3;
    static final int MIN_IN_SYNC_REPLICAS = 2;
    static final String ZONE = "topology.kubernetes.io/zone";
    /** Where FARO connects (README, "Connecting to a secured Kafka"): mTLS on 9093, SCRAM-SHA-512 on 9094. */
    static final int MTLS_PORT = 9093;
    static final int SCRAM_PORT = 9094;
    static final String MESSAGE_MAX_BYTES = "message.max.bytes";

    /** Broker settings and the value each must have. */
    private static final Map<String, Object> REPLICATION = Map.of(
            "default.replication.factor", REPLICAS,
            "min.insync.replicas", MIN_IN_SYNC_REPLICAS,
            "offsets.topic.replication.factor", REPLICAS,
            "transaction.state.log.replication.factor", REPLICAS,
            "transaction.state.log.min.isr", MIN_IN_SYNC_REPLICAS,
            // topics are KafkaTopics: a misspelt topic must fail, not appear
            "auto.create.topics.enable", false);

    private ClusterCheck() {
    }

    static List<String> problems(Kafka kafka, List<KafkaNodePool> pools, List<StorageClass> storageClasses) {
        List<String> problems = new ArrayList<>();
        KafkaClusterSpec spec = kafka.getSpec().getKafka();
        problems.addAll(poolProblems(kafka.getMetadata().getName(), pools, storageClasses));
        problems.addAll(configProblems(spec.getConfig() == null ? Map.of() : spec.getConfig()));
        problems.addAll(listenerProblems(spec.getListeners() == null ? List.of() : spec.getListeners()));
        if (!(spec.getRack() instanceof TopologyLabelRack rack) || !ZONE.equals(rack.getTopologyKey())) {
            problems.add("spec.kafka.rack must be the node label " + ZONE + ", so that the replicas of a partition"
                    + " are in different zones");
        }
        if (!(spec.getAuthorization() instanceof KafkaAuthorizationSimple)) {
            problems.add("spec.kafka.authorization must be simple: FARO's KafkaUsers are held to their ACLs");
        }
        var operators = kafka.getSpec().getEntityOperator();
        if (operators == null || operators.getTopicOperator() == null || operators.getUserOperator() == null) {
            problems.add("spec.entityOperator needs the topic operator (FARO's KafkaTopics) and the user operator"
                    + " (FARO's KafkaUsers and their secrets)");
        }
        return problems;
    }

    private static List<String> poolProblems(String cluster, List<KafkaNodePool> pools, List<StorageClass> classes) {
        List<String> problems = new ArrayList<>();
        int controllers = 0;
        int brokers = 0;
        for (KafkaNodePool pool : pools) {
            String name = pool.getMetadata().getName();
            Map<String, String> labels = Objects.requireNonNullElse(pool.getMetadata().getLabels(), Map.of());
            if (!cluster.equals(labels.get("strimzi.io/cluster"))) {
                problems.add("node pool " + name + " is not labelled strimzi.io/cluster: " + cluster);
            }
            List<ProcessRoles> roles = pool.getSpec().getRoles();
            if (roles.size() != 1) {
                problems.add("node pool " + name + " has roles " + roles + ": controllers and brokers run in pools of"
                        + " their own, so that a busy broker cannot slow the quorum");
            }
            controllers += roles.contains(ProcessRoles.CONTROLLER) ? pool.getSpec().getReplicas() : 0;
            brokers += roles.contains(ProcessRoles.BROKER) ? pool.getSpec().getReplicas() : 0;
            if (!spreadOverZones(pool, cluster)) {
                problems.add("node pool " + name + " must spread its pods over zones: a topologySpreadConstraint on "
                        + ZONE + " with maxSkew 1, DoNotSchedule, selecting strimzi.io/cluster: " + cluster
                        + " and strimzi.io/pool-name: " + name);
            }
            problems.addAll(storageProblems(name, pool.getSpec().getStorage(), classes));
        }
        if (controllers < REPLICAS || controllers % 2 == 0) {
            problems.add(controllers + " KRaft controllers: run an odd number, at least " + REPLICAS
                    + ", so that a majority survives the loss of one");
        }
        if (brokers < REPLICAS) {
            problems.add(brokers + " brokers cannot hold " + REPLICAS + " replicas of each partition");
        }
        return problems;
    }

    private static boolean spreadOverZones(KafkaNodePool pool, String cluster) {
        var template = pool.getSpec().getTemplate();
        List<TopologySpreadConstraint> constraints = template == null || template.getPod() == null ? null
                : template.getPod().getTopologySpreadConstraints();
        Map<String, String> selector = Map.of("strimzi.io/cluster", cluster,
                "strimzi.io/pool-name", pool.getMetadata().getName());
        return constraints != null && constraints.stream().anyMatch(c -> ZONE.equals(c.getTopologyKey())
                && Integer.valueOf(1).equals(c.getMaxSkew()) && "DoNotSchedule".equals(c.getWhenUnsatisfiable())
                && c.getLabelSelector() != null && selector.equals(c.getLabelSelector().getMatchLabels()));
    }

    /** Persistent volumes only, of a storage class that binds in the zone of the pod (EBS volumes are zonal). */
    private static List<String> storageProblems(String pool, Storage storage, List<StorageClass> classes) {
        List<SingleVolumeStorage> volumes = switch (storage) {
            case JbodStorage jbod -> jbod.getVolumes();
            case SingleVolumeStorage single -> List.of(single);
            case null, default -> List.of();
        };
        List<String> problems = new ArrayList<>();
        if (volumes.isEmpty()) {
            problems.add("node pool " + pool + " has no storage");
        }
        for (SingleVolumeStorage volume : volumes) {
            if (!(volume instanceof PersistentClaimStorage claim)) {
                problems.add("node pool " + pool + " has " + volume.getType() + " storage: Kafka's log must outlive"
                        + " its pod");
                continue;
            }
            Optional<StorageClass> storageClass = classes.stream()
                    .filter(c -> c.getMetadata().getName().equals(claim.getStorageClass())).findFirst();
            if (storageClass.isEmpty()) {
                problems.add("node pool " + pool + " uses storage class " + claim.getStorageClass()
                        + ", which strimzi/ does not declare");
            } else if (!"WaitForFirstConsumer".equals(storageClass.get().getVolumeBindingMode())) {
                problems.add("storage class " + claim.getStorageClass() + " must bind volumes WaitForFirstConsumer:"
                        + " a volume made before its pod is placed can land in another zone than the pod");
            }
        }
        return problems;
    }

    private static List<String> configProblems(Map<String, Object> config) {
        List<String> problems = new ArrayList<>();
        REPLICATION.forEach((key, value) -> {
            if (!String.valueOf(value).equals(String.valueOf(config.get(key)))) {
                problems.add("spec.kafka.config." + key + " is " + config.get(key) + ", but must be " + value);
            }
        });
        int needed = Topics.documentRecordBytes(FaroConfig.DEFAULT_MAX_DOCUMENT_BYTES);
        Object messageMaxBytes = config.get(MESSAGE_MAX_BYTES);
        if (messageMaxBytes == null || Long.parseLong(messageMaxBytes.toString()) < needed) {
            problems.add("spec.kafka.config." + MESSAGE_MAX_BYTES + " is " + messageMaxBytes + ": state it, at least "
                    + needed + " (" + FaroConfig.MAX_DOCUMENT_BYTES + " " + FaroConfig.DEFAULT_MAX_DOCUMENT_BYTES
                    + " + 8 KiB)");
        }
        List<String> forbidden = split(KafkaClusterSpec.FORBIDDEN_PREFIXES);
        List<String> allowed = split(KafkaClusterSpec.FORBIDDEN_PREFIX_EXCEPTIONS);
        for (String key : config.keySet()) {
            if (forbidden.stream().anyMatch(key::startsWith) && !allowed.contains(key)) {
                problems.add("spec.kafka.config." + key + " is Strimzi's to set; the operator ignores it");
            }
        }
        return problems;
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).toList();
    }

    private static List<String> listenerProblems(List<GenericKafkaListener> listeners) {
        List<String> problems = new ArrayList<>();
        for (GenericKafkaListener listener : listeners) {
            if (!listener.isTls()) {
                problems.add("listener " + listener.getName() + " is not TLS: FARO's data and credentials cross the"
                        + " network only encrypted");
            }
            if (listener.getAuth() == null) {
                problems.add("listener " + listener.getName() + " lets anyone in: every client authenticates");
            }
        }
        if (!hasListener(listeners, MTLS_PORT, KafkaListenerAuthenticationTls.class)) {
            problems.add("no listener for mTLS (authentication tls) on port " + MTLS_PORT);
        }
        if (!hasListener(listeners, SCRAM_PORT, KafkaListenerAuthenticationScramSha512.class)) {
            problems.add("no listener for SCRAM-SHA-512 on port " + SCRAM_PORT);
        }
        return problems;
    }

    private static boolean hasListener(List<GenericKafkaListener> listeners, int port,
                                       Class<? extends KafkaListenerAuthentication> authentication) {
        return listeners.stream().anyMatch(l -> l.getPort() == port && l.isTls() && authentication.isInstance(l.getAuth()));
    }
}
