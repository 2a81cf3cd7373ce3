package io.faro.cli.kafkaids;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KafkaIdsCommandTest {

    private static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();
    private static final String BEGIN = "<!-- faro kafka-ids: begin -->";
    private static final String END = "<!-- faro kafka-ids: end -->";

    @Test
    void shouldPrintARowForEveryComponentAndCommand() {
        // when
        String table = run(false);

        // then
        assertThat(table.lines()).anyMatch(line -> line.equals(
                "| ingest | faro.documents | faro.chunks, faro.embeddings, faro.dlq | faro-ingest | faro-ingest- | faro-ingest- |"));
        assertThat(table.lines()).anyMatch(line -> line.equals(
                "| sink-pgvector | faro.embeddings | faro.dlq | faro-sink-pgvector | - | faro-sink-pgvector- |"));
        assertThat(table.lines()).anyMatch(line -> line.startsWith("| sink-qdrant | faro.embeddings |"));
        assertThat(table.lines()).anyMatch(line -> line.equals("| gateway | faro.embeddings, faro.dlq | faro.documents | - | - | - |"));
        assertThat(table.lines()).anyMatch(line -> line.equals("| faro publish | - | faro.documents | - | - | - |"));
        assertThat(table.lines()).anyMatch(line -> line.equals(
                "| FARO_TOPICS_MODE=verify | faro.documents, faro.chunks, faro.embeddings, faro.dlq | Describe,"
                        + " DescribeConfigs |"));
    }

    @Test
    void shouldPrintJsonThatToolsCanReadTheAclsFrom() throws Exception {
        // when
        JsonNode json = new ObjectMapper().readTree(run(true));

        // then
        JsonNode ingest = json.get("components").get(0);
        assertThat(ingest.get("name").asText()).isEqualTo("ingest");
        assertThat(ingest.get("groups")).extracting(JsonNode::asText).containsExactly("faro-ingest");
        assertThat(ingest.get("transactional_id_prefixes")).extracting(JsonNode::asText).containsExactly("faro-ingest-");
        assertThat(ingest.get("internal_topic_prefixes")).extracting(JsonNode::asText).containsExactly("faro-ingest-");
        assertThat(json.get("components")).extracting(c -> c.get("name").asText())
                .containsExactly("ingest", "sink-pgvector", "sink-qdrant", "gateway");
        assertThat(json.get("commands")).extracting(c -> c.get("name").asText())
                .contains("faro publish", "faro rebuild");
        assertThat(json.get("startup").get("verify")).extracting(JsonNode::asText)
                .containsExactly("Describe", "DescribeConfigs");
        assertThat(json.get("startup").get("create")).extracting(JsonNode::asText)
                .containsExactly("Describe", "DescribeConfigs", "Create", "AlterConfigs");
    }

    @Test
    void shouldKeepTheReadmeSectionInStepWithTheCommand() throws Exception {
        // given
        String readme = Files.readString(README);
        assertThat(readme.contains(BEGIN) && readme.contains(END))
                .as("README.md marks the generated section with " + BEGIN + " and " + END).isTrue();

        // when
        String section = readme.substring(readme.indexOf(BEGIN) + BEGIN.length(), readme.indexOf(END)).strip();

        // then
        assertThat(section)
                .as("the README's \"Kafka ids and ACLs\" table; paste the output of faro kafka-ids there")
                .isEqualTo(run(false).strip());
    }

    private static String run(boolean json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        KafkaIdsCommand.print(json, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
