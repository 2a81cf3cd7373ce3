package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/qdrant-values.yaml is for Qdrant's own chart, which cannot be rendered here: its settings are checked,
 * and that it serves FARO as FARO's values expect (the same API key secret, the gRPC port).
 */
class QdrantValuesTest {

    private static JsonNode qdrant;

    @BeforeAll
    static void read() throws IOException {
        qdrant = new ObjectMapper(new YAMLFactory())
                .readTree(FaroChart.dir().resolve("examples/qdrant-values.yaml").toFile());
    }

    @Test
    void shouldReadTheApiKeyFromTheSecretFaroReadsIt() {
        // given
        JsonNode faro = FaroChart.values(Optional.of(FaroChart.dir().resolve("examples/values-prod.yaml")))
                .path("qdrant").path("apiKeySecret");
        JsonNode secretKeyRef = qdrant.at("/apiKey/valueFrom/secretKeyRef");

        // then
        assertThat(secretKeyRef.path("name").asText()).isEqualTo(faro.path("name").asText()).isNotBlank();
        assertThat(secretKeyRef.path("key").asText()).isEqualTo(faro.path("key").asText()).isNotBlank();
        assertThat(qdrant.at("/metrics/serviceMonitor/authorization/credentials/name").asText())
                .isEqualTo(faro.path("name").asText());
    }

    @Test
    void shouldKeepVectorsAndSnapshotsOnVolumesOfTheirOwn() {
        // then
        assertThat(qdrant.at("/persistence/size").asText()).isNotBlank();
        assertThat(qdrant.at("/snapshotPersistence/enabled").asBoolean()).isTrue();
        assertThat(qdrant.at("/snapshotPersistence/size").asText()).isNotBlank();
    }

    @Test
    void shouldRequestAndLimitCpuAndMemory() {
        // then
        for (String bound : new String[] {"requests", "limits"}) {
            assertThat(qdrant.at("/resources/" + bound + "/cpu").asText()).isNotBlank();
            assertThat(qdrant.at("/resources/" + bound + "/memory").asText()).isNotBlank();
        }
    }

    @Test
    void shouldBeReachedByFaroOnQdrantsGrpcPort() {
        // given: the Qdrant chart's Service serves gRPC on 6334
        JsonNode faro = FaroChart.values(Optional.of(FaroChart.dir().resolve("examples/values-prod.yaml")));

        // then
        assertThat(faro.at("/qdrant/url").asText()).endsWith(":6334");
        assertThat(faro.at("/networkPolicy/qdrant/port").asInt()).isEqualTo(6334);
        assertThat(faro.at("/networkPolicy/qdrant/podSelector/matchLabels/app.kubernetes.io~1name").asText())
                .isEqualTo("qdrant");
    }
}
