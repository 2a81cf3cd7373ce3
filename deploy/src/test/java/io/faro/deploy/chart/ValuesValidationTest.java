package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad values are refused before anything is installed, with a message that says where and what: by
 * values.schema.json, or by the templates where the schema cannot compare two values.
 */
class ValuesValidationTest {

    private static final String SCHEMA_REFUSAL = "values don't meet the specifications of the schema";

    @Test
    void shouldRefuseAValueOfTheWrongType() {
        // when
        String error = FaroChart.renderError(Map.of("ingest.replicas", "two", "gateway.enabled", "yes"));

        // then
        assertThat(error).contains(SCHEMA_REFUSAL)
                .contains("at '/ingest/replicas': got string, want")
                .contains("at '/gateway/enabled': got string, want boolean");
    }

    @Test
    void shouldRefuseAComponentFaroDoesNotHave() {
        // when
        String error = FaroChart.renderError(Map.of("sink-milvus.enabled", "true"));

        // then
        assertThat(error).contains(SCHEMA_REFUSAL).contains("additional properties 'sink-milvus' not allowed");
    }

    @Test
    void shouldRefuseAMisspeltSettingOfAComponent() {
        // when
        String error = FaroChart.renderError(Map.of("ingest.replica", "2"));

        // then
        assertThat(error).contains("at '/ingest': additional properties 'replica' not allowed");
    }

    @Test
    void shouldRefuseTheLatestTag() {
        // when
        String error = FaroChart.renderError(Map.of("image.tag", "latest"));

        // then
        assertThat(error).contains("at '/image/tag': 'latest' does not match pattern");
    }

    @Test
    void shouldRefuseAnAuthenticationStrimziDoesNotOffer() {
        // when
        String error = FaroChart.renderError(Map.of("kafka.authentication", "plain"));

        // then
        assertThat(error).contains("at '/kafka/authentication'").contains("'tls'").contains("'scram-sha-512'");
    }

    @Test
    void shouldRefuseAPasswordInThePostgresUrl() {
        // when
        String error = FaroChart.renderError(Map.of("postgres.url", "postgresql://faro:pw@db:5432/faro"));

        // then
        assertThat(error).contains("at '/postgres/url'").contains("does not match pattern");
    }

    @Test
    void shouldRefuseAShutdownDelayFaroRefuses() {
        // when
        String error = FaroChart.renderError(Map.of("gateway.shutdownDelayMs", "30000"));

        // then
        assertThat(error).contains("at '/gateway/shutdownDelayMs': maximum: got 30,000, want 20,000");
    }

    @Test
    void shouldRefuseAComponentWithoutResourceLimits() {
        // when
        String error = FaroChart.renderError(Map.of("sink-pgvector.resources.limits", "null"));

        // then
        assertThat(error).contains("at '/sink-pgvector/resources'").contains("missing property 'limits'");
    }

    @Test
    void shouldRefuseASecretAmongTheSettings() {
        // when
        String error = FaroChart.renderError(Map.of("env.FARO_PG_PASSWORD", "hunter2"));

        // then
        assertThat(error).contains("env.FARO_PG_PASSWORD: a secret never goes into values; reference a Secret");
    }

    @Test
    void shouldRefuseASettingTheChartMakesItself() {
        // when
        String error = FaroChart.renderError(Map.of("ingest.env.FARO_KAFKA_BOOTSTRAP", "elsewhere:9092"));

        // then
        assertThat(error).contains("ingest.env.FARO_KAFKA_BOOTSTRAP: the chart sets FARO_KAFKA_BOOTSTRAP itself");
    }

    @Test
    void shouldRefuseTheQdrantSinkWithoutQdrant() {
        // when
        String error = FaroChart.renderError(Map.of("qdrant.url", ""));

        // then
        assertThat(error).contains("sink-qdrant is enabled but qdrant.url is empty");
    }

    @Test
    void shouldRefuseMutualTlsWithoutTls() {
        // when
        String error = FaroChart.renderError(Map.of("kafka.tls", "false"));

        // then
        assertThat(error).contains("kafka.authentication is tls but kafka.tls is false");
    }
}
