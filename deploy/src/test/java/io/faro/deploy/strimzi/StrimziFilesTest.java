package io.faro.deploy.strimzi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.faro.core.topic.Topics;
import io.faro.deploy.strimzi.StrimziFiles.InvalidResource;
import io.faro.deploy.strimzi.StrimziFiles.Parsed;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StrimziFilesTest {

    @Test
    void shouldReadEveryDocumentOfEveryFileIntoItsTypedModel() {
        // when
        List<Parsed> all = StrimziFiles.readAll();

        // then every file holds resources, and strimzi/ holds the cluster, its pools, topics and users
        assertThat(all.stream().map(Parsed::source).distinct())
                .containsExactlyInAnyOrderElementsOf(StrimziFiles.yamlFiles().stream()
                        .map(file -> StrimziFiles.DIR.relativize(file).toString().replace('\\', '/')).toList());
        Map<String, Long> kinds = all.stream().collect(Collectors.groupingBy(p -> p.resource().getKind(),
                Collectors.counting()));
        assertThat(kinds).containsEntry("Kafka", 1L).containsEntry("KafkaNodePool", 2L).containsEntry("KafkaTopic", (long) Topics.EVERY.size())
                .containsEntry("ConfigMap", 1L).containsEntry("StorageClass", 1L)
                .containsEntry("KafkaUser", 10L); // users.yaml and its SCRAM alternative
        assertThat(all).filteredOn(p -> p.resource().getKind().startsWith("Kafka"))
                .allSatisfy(p -> assertThat(p.resource().getApiVersion()).isEqualTo(StrimziFiles.STRIMZI_API_VERSION));
    }

    @Test
    void shouldDeclareEachResourceOnceInEachFolder() {
        // given: a sub-folder holds an alternative to the files above it (applied instead of them), not an addition
        Map<String, List<String>> declared = StrimziFiles.readAll().stream().collect(Collectors.groupingBy(
                p -> p.folder() + " " + p.resource().getKind() + " " + p.resource().getMetadata().getName(),
                Collectors.mapping(Parsed::source, Collectors.toList())));

        // then
        assertThat(declared).allSatisfy((resource, files) -> assertThat(files).as(resource).hasSize(1));
    }

    @Test
    void shouldRejectAFieldTheModelDoesNotKnow() {
        // given spec.kafka.replicas, which Strimzi 1.x moved to the node pools
        String yaml = mutated("kafka.yaml", "Kafka", kafka -> ((ObjectNode) kafka.path("spec").path("kafka"))
                .put("replicas", 3));

        // then
        assertThatThrownBy(() -> StrimziFiles.parse(yaml, "kafka.yaml"))
                .isInstanceOf(InvalidResource.class)
                .hasMessageContaining("kafka.yaml, document 1")
                .hasMessageContaining("fields the Kafka model does not know")
                .hasMessageContaining("spec.kafka.replicas");
    }

    @Test
    void shouldRejectAnUnknownFieldDeepInAModel() {
        // given an ACL rule with the singular 'operation' of v1beta2, which v1 dropped for 'operations'
        String yaml = mutated("users.yaml", "KafkaUser", user -> ((ObjectNode) user.path("spec").path("authorization")
                .path("acls").get(0)).put("operation", "Read"));

        // then
        assertThatThrownBy(() -> StrimziFiles.parse(yaml, "users.yaml"))
                .isInstanceOf(InvalidResource.class)
                .hasMessageContaining("spec.authorization.acls[0].operation");
    }

    @Test
    void shouldRejectTheOlderApiVersion() {
        // given
        String yaml = mutated("topics.yaml", "KafkaTopic", topic -> ((ObjectNode) topic)
                .put("apiVersion", "kafka.strimzi.io/v1beta2"));

        // then
        assertThatThrownBy(() -> StrimziFiles.parse(yaml, "topics.yaml"))
                .isInstanceOf(InvalidResource.class)
                .hasMessageContaining("KafkaTopic has apiVersion 'kafka.strimzi.io/v1beta2'")
                .hasMessageContaining("kafka.strimzi.io/v1 only");
    }

    @Test
    void shouldRejectZooKeeper() {
        // given
        String yaml = mutated("kafka.yaml", "Kafka", kafka -> ((ObjectNode) kafka.path("spec"))
                .putObject("zookeeper").put("replicas", 3));

        // then
        assertThatThrownBy(() -> StrimziFiles.parse(yaml, "kafka.yaml"))
                .isInstanceOf(InvalidResource.class)
                .hasMessageContaining("ZooKeeper is gone")
                .hasMessageContaining("spec.zookeeper");
    }

    @Test
    void shouldRejectTheKraftAndNodePoolAnnotationsOfStrimziBefore1() {
        // given
        String yaml = mutated("kafka.yaml", "Kafka", kafka -> ((ObjectNode) kafka.path("metadata"))
                .putObject("annotations").put("strimzi.io/node-pools", "enabled"));

        // then
        assertThatThrownBy(() -> StrimziFiles.parse(yaml, "kafka.yaml"))
                .isInstanceOf(InvalidResource.class)
                .hasMessageContaining("annotation strimzi.io/node-pools");
    }

    @Test
    void shouldRejectADuplicatedKey() {
        // given a key given twice, of which Kubernetes would silently keep one
        String yaml = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: faro.dlq
                spec:
                  partitions: 3
                  partitions: 6
                """;

        // then
        assertThatThrownBy(() -> StrimziFiles.parse(yaml, "topics.yaml"))
                .isInstanceOf(InvalidResource.class)
                .hasMessageContaining("Duplicate field 'partitions'");
    }

    @Test
    void shouldRejectAKindItHasNoModelFor() {
        // given
        String yaml = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaConnect
                metadata:
                  name: faro
                """;

        // then
        assertThatThrownBy(() -> StrimziFiles.parse(yaml, "connect.yaml"))
                .isInstanceOf(InvalidResource.class)
                .hasMessageContaining("no model for apiVersion 'kafka.strimzi.io/v1', kind 'KafkaConnect'");
    }

    /** The first document of {@code kind} in a file of {@code strimzi/}, changed, as YAML of its own. */
    static String mutated(String file, String kind, Consumer<JsonNode> change) {
        try {
            String yaml = Files.readString(StrimziFiles.DIR.resolve(file));
            List<JsonNode> documents = StrimziFiles.MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(yaml)
                    .readAll();
            JsonNode document = documents.stream().filter(d -> d != null && kind.equals(d.path("kind").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " in " + file));
            change.accept(document);
            return StrimziFiles.MAPPER.writeValueAsString(document);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    static <T extends HasMetadata> List<T> resources(List<Parsed> parsed, Class<T> type) {
        return parsed.stream().map(Parsed::resource).filter(type::isInstance).map(type::cast).toList();
    }
}
