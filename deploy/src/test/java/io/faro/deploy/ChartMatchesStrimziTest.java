package io.faro.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.faro.core.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart and {@code strimzi/} describe one cluster and must not drift apart: the Kafka cluster the chart
 * trusts and connects to is the one {@code strimzi/} declares, on a listener it has with the authentication the
 * values choose; every KafkaUser the chart mounts exists; the partitions the chart bounds replicas by are the
 * KafkaTopics' partitions. Checked for the chart's defaults and for every example that talks to Strimzi.
 */
class ChartMatchesStrimziTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CHART = ROOT.resolve("charts/faro");

    static Stream<Path> valuesFiles() throws IOException {
        try (Stream<Path> examples = Files.list(CHART.resolve("examples"))) {
            List<Path> files = new ArrayList<>(List.of(CHART.resolve("values.yaml")));
            examples.filter(file -> file.getFileName().toString().startsWith("values-")).sorted().forEach(files::add);
            // values-dev talks to a development Kafka without Strimzi's users or TLS
            return files.stream().filter(file -> !file.getFileName().toString().equals("values-dev.yaml"));
        }
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void shouldConnectToTheClusterStrimziDeclaresOnAListenerWithTheChosenAuthentication(Path valuesFile)
            throws IOException {
        JsonNode kafka = values(valuesFile).path("kafka");
        JsonNode cluster = strimzi("kafka.yaml").stream().filter(doc -> doc.path("kind").asText().equals("Kafka"))
                .findFirst().orElseThrow();
        String name = cluster.path("metadata").path("name").asText();
        String bootstrap = kafka.path("bootstrap").asText();

        assertThat(kafka.path("clusterName").asText()).as("%s kafka.clusterName", valuesFile).isEqualTo(name);
        assertThat(bootstrap).as("%s kafka.bootstrap", valuesFile).startsWith(name + "-kafka-bootstrap.");
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        JsonNode listener = stream(cluster.path("spec").path("kafka").path("listeners"))
                .filter(l -> l.path("port").asInt() == port).findFirst()
                .orElseThrow(() -> new AssertionError(valuesFile + ": strimzi/kafka.yaml has no listener on " + port));
        assertThat(listener.path("tls").asBoolean()).as("listener %s is TLS", port).isTrue();
        assertThat(listener.path("authentication").path("type").asText()).as("%s: authentication of listener %s",
                valuesFile, port).isEqualTo(kafka.path("authentication").asText());
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void shouldMountOnlyKafkaUsersStrimziDeclares(Path valuesFile) throws IOException {
        JsonNode values = values(valuesFile);
        String file = values.path("kafka").path("authentication").asText().equals("scram-sha-512")
                ? "scram-sha-512/users.yaml" : "users.yaml";
        Set<String> declared = strimzi(file).stream().filter(doc -> doc.path("kind").asText().equals("KafkaUser"))
                .map(doc -> doc.path("metadata").path("name").asText()).collect(Collectors.toSet());
        for (String component : List.of("ingest", "sink-pgvector", "sink-qdrant", "gateway")) {
            JsonNode user = values.path(component).path("kafkaUser");
            if (!user.isMissingNode()) {
                assertThat(declared).as("%s: %s.kafkaUser in strimzi/%s", valuesFile, component, file)
                        .contains(user.asText());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void shouldBoundReplicasByThePartitionsTheKafkaTopicsDeclare(Path valuesFile) throws IOException {
        JsonNode partitions = values(valuesFile).path("kafka").path("partitions");
        assertThat(partitions.path("documents").asInt()).as("%s kafka.partitions.documents", valuesFile)
                .isEqualTo(topicPartitions(Topics.DOCUMENTS.name()));
        assertThat(partitions.path("embeddings").asInt()).as("%s kafka.partitions.embeddings", valuesFile)
                .isEqualTo(topicPartitions(Topics.EMBEDDINGS.name()));
    }

    /** The chart's defaults with a values file's settings over them. */
    private static JsonNode values(Path valuesFile) throws IOException {
        JsonNode defaults = YAML.readTree(CHART.resolve("values.yaml").toFile());
        return valuesFile.endsWith("values.yaml") ? defaults
                : YAML.readerForUpdating(defaults.deepCopy()).readValue(valuesFile.toFile());
    }

    private static int topicPartitions(String topic) throws IOException {
        return strimzi("topics.yaml").stream()
                .filter(doc -> doc.path("spec").path("topicName").asText(doc.path("metadata").path("name").asText())
                        .equals(topic))
                .findFirst().orElseThrow(() -> new AssertionError("no KafkaTopic for " + topic))
                .path("spec").path("partitions").asInt();
    }

    private static List<JsonNode> strimzi(String file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class)
                .readValues(ROOT.resolve("strimzi").resolve(file).toFile())) {
            it.forEachRemaining(doc -> {
                if (doc != null && !doc.isEmpty()) {
                    documents.add(doc);
                }
            });
        }
        return documents;
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }
}
