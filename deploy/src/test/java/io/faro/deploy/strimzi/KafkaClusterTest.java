package io.faro.deploy.strimzi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.faro.deploy.strimzi.StrimziFiles.Parsed;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class KafkaClusterTest {

    private final List<Parsed> all = StrimziFiles.readAll();
    private final Kafka kafka = StrimziFilesTest.resources(all, Kafka.class).getFirst();
    private final List<KafkaNodePool> pools = StrimziFilesTest.resources(all, KafkaNodePool.class);
    private final List<StorageClass> storageClasses = StrimziFilesTest.resources(all, StorageClass.class);
    private final List<ConfigMap> configMaps = StrimziFilesTest.resources(all, ConfigMap.class);

    @Test
    void shouldRunAKraftClusterThatSurvivesAZoneWithTlsAndAuthorization() {
        // then
        assertThat(kafka.getMetadata().getName()).isEqualTo("faro");
        assertThat(pools).extracting(p -> p.getSpec().getRoles())
                .containsExactlyInAnyOrder(List.of(ProcessRoles.CONTROLLER), List.of(ProcessRoles.BROKER));
        assertThat(ClusterCheck.problems(kafka, pools, storageClasses)).isEmpty();
    }

    @Test
    void shouldExportBrokerHealthAndTheLagOfEveryFaroGroup() {
        assertThat(MetricsCheck.problems(kafka, configMaps)).isEmpty();
    }

    @Test
    void shouldRefuseAClusterWithoutRackAwareness() {
        // given
        Kafka changed = changed(k -> k.getSpec().getKafka().setRack(null));

        // then
        assertThat(ClusterCheck.problems(changed, pools, storageClasses)).containsExactly(
                "spec.kafka.rack must be the node label topology.kubernetes.io/zone, so that the replicas of a"
                        + " partition are in different zones");
    }

    @Test
    void shouldRefuseWeakerReplicationAndRecordsTooSmallForADocument() {
        // given
        Kafka changed = changed(k -> {
            Map<String, Object> config = k.getSpec().getKafka().getConfig();
            config.put("min.insync.replicas", 1);
            config.put("transaction.state.log.replication.factor", 1);
            config.put(ClusterCheck.MESSAGE_MAX_BYTES, 500_000);
        });

        // then
        assertThat(ClusterCheck.problems(changed, pools, storageClasses)).containsExactlyInAnyOrder(
                "spec.kafka.config.min.insync.replicas is 1, but must be 2",
                "spec.kafka.config.transaction.state.log.replication.factor is 1, but must be 3",
                "spec.kafka.config.message.max.bytes is 500000: state it, at least 929792 (FARO_MAX_DOCUMENT_BYTES"
                        + " 921600 + 8 KiB)");
    }

    @Test
    void shouldRefuseSettingsThatAreStrimzisToSet() {
        // given
        Kafka changed = changed(k -> k.getSpec().getKafka().getConfig().put("ssl.keystore.location", "/tmp/ks.p12"));

        // then
        assertThat(ClusterCheck.problems(changed, pools, storageClasses)).containsExactly(
                "spec.kafka.config.ssl.keystore.location is Strimzi's to set; the operator ignores it");
    }

    @Test
    void shouldRefuseAPlainListener() {
        // given the SCRAM listener without TLS
        Kafka changed = changed(k -> k.getSpec().getKafka().getListeners().stream()
                .filter(l -> l.getPort() == ClusterCheck.SCRAM_PORT).forEach(l -> l.setTls(false)));

        // then
        assertThat(ClusterCheck.problems(changed, pools, storageClasses)).containsExactly(
                "listener scram is not TLS: FARO's data and credentials cross the network only encrypted",
                "no listener for SCRAM-SHA-512 on port 9094");
    }

    @Test
    void shouldRefuseAListenerWithoutAuthentication() {
        // given
        Kafka changed = changed(k -> {
            GenericKafkaListener open = StrimziFiles.copy(k.getSpec().getKafka().getListeners().getFirst(),
                    GenericKafkaListener.class);
            open.setName("open");
            open.setPort(9095);
            open.setAuth(null);
            k.getSpec().getKafka().setListeners(new ArrayList<>(k.getSpec().getKafka().getListeners()));
            k.getSpec().getKafka().getListeners().add(open);
        });

        // then
        assertThat(ClusterCheck.problems(changed, pools, storageClasses)).containsExactly(
                "listener open lets anyone in: every client authenticates");
    }

    @Test
    void shouldRefuseTooFewBrokersAndAnEvenQuorum() {
        // given
        List<KafkaNodePool> changed = changedPools(pool -> pool.getSpec().setReplicas(2));

        // then
        assertThat(ClusterCheck.problems(kafka, changed, storageClasses)).containsExactly(
                "2 KRaft controllers: run an odd number, at least 3, so that a majority survives the loss of one",
                "2 brokers cannot hold 3 replicas of each partition");
    }

    @Test
    void shouldRefuseAPoolThatMaySitInOneZone() {
        // given
        List<KafkaNodePool> changed = changedPools(pool -> {
            if (pool.getSpec().getRoles().contains(ProcessRoles.BROKER)) {
                pool.getSpec().getTemplate().getPod().getTopologySpreadConstraints().getFirst()
                        .setWhenUnsatisfiable("ScheduleAnyway");
            }
        });

        // then
        assertThat(ClusterCheck.problems(kafka, changed, storageClasses)).singleElement().asString()
                .startsWith("node pool broker must spread its pods over zones");
    }

    @Test
    void shouldRefuseVolumesBoundBeforeTheirPodIsPlaced() {
        // given
        StorageClass immediate = StrimziFiles.copy(storageClasses.getFirst(), StorageClass.class);
        immediate.setVolumeBindingMode("Immediate");

        // then
        assertThat(ClusterCheck.problems(kafka, pools, List.of(immediate))).hasSize(2)
                .allMatch(p -> p.startsWith("storage class kafka-gp3 must bind volumes WaitForFirstConsumer"));
        assertThat(ClusterCheck.problems(kafka, pools, List.of())).hasSize(2)
                .allMatch(p -> p.endsWith("uses storage class kafka-gp3, which strimzi/ does not declare"));
    }

    @Test
    void shouldMissTheLagOfAGroupTheExporterLeavesOut() {
        // given a regex written before sink-qdrant existed, and one without the dead letters
        Kafka changed = changed(k -> {
            k.getSpec().getKafkaExporter().setGroupRegex("^faro-(ingest|sink-pgvector)$");
            k.getSpec().getKafkaExporter().setTopicRegex("^faro\\.(documents|chunks|embeddings)$");
        });

        // then
        assertThat(MetricsCheck.problems(changed, configMaps)).containsExactly(
                "spec.kafkaExporter.groupRegex ^faro-(ingest|sink-pgvector)$ leaves out FARO's group faro-sink-qdrant:"
                        + " its lag would not be reported",
                "spec.kafkaExporter.topicRegex ^faro\\.(documents|chunks|embeddings)$ leaves out faro.dlq");
    }

    @Test
    void shouldRefuseMetricsRulesThatAreMissingOrExportNoHealth() {
        // given a ConfigMap under another key, and rules that export only the JVM
        ConfigMap renamed = StrimziFiles.copy(configMaps.getFirst(), ConfigMap.class);
        renamed.setData(Map.of("metrics.yml", renamed.getData().values().iterator().next()));
        ConfigMap jvmOnly = StrimziFiles.copy(configMaps.getFirst(), ConfigMap.class);
        jvmOnly.getData().replaceAll((key, rules) -> "rules:\n  - pattern: java.lang<type=Memory><>(\\w+)\n");

        // then
        assertThat(MetricsCheck.problems(kafka, List.of(renamed))).containsExactly(
                "spec.kafka.metricsConfig names the key kafka-metrics-config.yml of ConfigMap faro-kafka-metrics,"
                        + " which strimzi/ does not hold");
        assertThat(MetricsCheck.problems(kafka, List.of(jvmOnly))).hasSize(MetricsCheck.HEALTH_ATTRIBUTES.size())
                .allMatch(p -> p.startsWith("no JMX exporter rule exports "));
    }

    private Kafka changed(Consumer<Kafka> change) {
        Kafka copy = StrimziFiles.copy(kafka, Kafka.class);
        change.accept(copy);
        return copy;
    }

    private List<KafkaNodePool> changedPools(Consumer<KafkaNodePool> change) {
        return pools.stream().map(pool -> {
            KafkaNodePool copy = StrimziFiles.copy(pool, KafkaNodePool.class);
            change.accept(copy);
            return copy;
        }).toList();
    }
}
