package io.faro.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.embed.EmbeddingModelName;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FaroConfigTest {

    private static FaroConfig config(Map<String, String> vars) {
        return FaroConfig.from(Env.of(vars));
    }

    @Test
    void shouldUseDefaultsWhenEnvironmentIsEmpty() {
        // given
        Map<String, String> vars = Map.of();

        // when
        FaroConfig config = config(vars);

        // then
        assertThat(config.home()).isEqualTo(Path.of("./.faro").toAbsolutePath().normalize());
        assertThat(config.home()).isAbsolute();
        assertThat(config.kafka().bootstrap()).isEmpty();
        assertThat(config.kafka().embeddedPort()).isEqualTo(9092);
        assertThat(config.kafka().topicPartitions()).isEqualTo(3);
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.pg().url()).isEmpty();
        assertThat(config.pg().port()).isEqualTo(5433);
        assertThat(config.pg().table()).isEqualTo("faro_chunks");
        assertThat(config.embedding().localModel()).isEqualTo(EmbeddingModelName.ALL_MINILM_L6_V2);
        assertThat(config.chunkSizeTokens()).isEqualTo(200);
        assertThat(config.chunkOverlapTokens()).isEqualTo(20);
        assertThat(config.embedBatchSize()).isEqualTo(32);
        assertThat(config.embedLingerMs()).isEqualTo(50);
        assertThat(config.sinkBatchSize()).isEqualTo(256);
        assertThat(config.sinkLingerMs()).isEqualTo(100);
        assertThat(config.maxDocumentBytes()).isEqualTo(900 * 1024);
        assertThat(config.maxRequestBytes()).isEqualTo(64 * 1024);
        assertThat(config.maxTopK()).isEqualTo(50);
        assertThat(config.http().managementPort()).isEqualTo(9464);
        assertThat(config.http().console()).isTrue();
        assertThat(config.extraction()).isEqualTo(new FaroConfig.ExtractionSettings(30_000, 5_000_000, 100));
    }

    @Test
    void shouldReadTheExtractionLimitsAndRefuseOnesOutOfRange() {
        FaroConfig config = config(Map.of("FARO_PARSE_TIMEOUT_MS", "2500", "FARO_MAX_EXTRACTED_CHARS", "10000",
                "FARO_MAX_COMPRESSION_RATIO", "20"));

        assertThat(config.extraction()).isEqualTo(new FaroConfig.ExtractionSettings(2_500, 10_000, 20));
        assertThatThrownBy(() -> config(Map.of("FARO_PARSE_TIMEOUT_MS", "600000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FARO_PARSE_TIMEOUT_MS");
    }

    @Test
    void shouldReadEveryOverride() {
        // given
        Map<String, String> vars = Map.ofEntries(
                Map.entry("FARO_HOME", "/tmp/faro-home"),
                Map.entry("FARO_KAFKA_BOOTSTRAP", "broker-1:9093,broker-2:9093"),
                Map.entry("FARO_KAFKA_PORT", "19092"),
                Map.entry("FARO_TOPIC_PARTITIONS", "12"),
                Map.entry("FARO_HTTP_PORT", "18080"),
                Map.entry("FARO_PG_URL", "postgresql://db:5432/faro"),
                Map.entry("FARO_PG_PORT", "15433"),
                Map.entry("FARO_PG_TABLE", "my_chunks_2"),
                Map.entry("FARO_EMBEDDING_MODEL", "bge-small-en-v1.5-q"),
                Map.entry("FARO_CHUNK_SIZE_TOKENS", "512"),
                Map.entry("FARO_CHUNK_OVERLAP_TOKENS", "64"),
                Map.entry("FARO_EMBED_BATCH_SIZE", "8"),
                Map.entry("FARO_EMBED_LINGER_MS", "5"),
                Map.entry("FARO_SINK_BATCH_SIZE", "1000"),
                Map.entry("FARO_SINK_LINGER_MS", "250"),
                Map.entry("FARO_MAX_DOCUMENT_BYTES", "2048"),
                Map.entry("FARO_MAX_REQUEST_BYTES", "4096"),
                Map.entry("FARO_MAX_TOP_K", "7"),
                Map.entry("FARO_METRICS_PORT", "19464"),
                Map.entry("FARO_CONSOLE", "false"));

        // when
        FaroConfig config = config(vars);

        // then
        assertThat(config.home()).isEqualTo(Path.of("/tmp/faro-home"));
        assertThat(config.kafka().bootstrap()).contains("broker-1:9093,broker-2:9093");
        assertThat(config.kafka().embeddedPort()).isEqualTo(19092);
        assertThat(config.kafka().topicPartitions()).isEqualTo(12);
        assertThat(config.http().port()).isEqualTo(18080);
        assertThat(config.pg().url()).contains("postgresql://db:5432/faro");
        assertThat(config.pg().port()).isEqualTo(15433);
        assertThat(config.pg().table()).isEqualTo("my_chunks_2");
        assertThat(config.embedding().localModel()).isEqualTo(EmbeddingModelName.BGE_SMALL_EN_V15_Q);
        assertThat(config.chunkSizeTokens()).isEqualTo(512);
        assertThat(config.chunkOverlapTokens()).isEqualTo(64);
        assertThat(config.embedBatchSize()).isEqualTo(8);
        assertThat(config.embedLingerMs()).isEqualTo(5);
        assertThat(config.sinkBatchSize()).isEqualTo(1000);
        assertThat(config.sinkLingerMs()).isEqualTo(250);
        assertThat(config.maxDocumentBytes()).isEqualTo(2048);
        assertThat(config.maxRequestBytes()).isEqualTo(4096);
        assertThat(config.maxTopK()).isEqualTo(7);
        assertThat(config.http().managementPort()).isEqualTo(19464);
        assertThat(config.http().console()).isFalse();
    }

    @Test
    void shouldTrimValuesAndTreatBlankAsUnset() {
        // given
        Map<String, String> vars = Map.of(
                "FARO_HTTP_PORT", "  9000 ",
                "FARO_KAFKA_BOOTSTRAP", "   ",
                "FARO_EMBEDDING_MODEL", " BGE-Small-EN-v1.5-Q ");

        // when
        FaroConfig config = config(vars);

        // then
        assertThat(config.http().port()).isEqualTo(9000);
        assertThat(config.kafka().bootstrap()).isEmpty();
        assertThat(config.embedding().localModel()).isEqualTo(EmbeddingModelName.BGE_SMALL_EN_V15_Q);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "FARO_KAFKA_PORT", "FARO_TOPIC_PARTITIONS", "FARO_HTTP_PORT", "FARO_PG_PORT",
        "FARO_CHUNK_SIZE_TOKENS", "FARO_CHUNK_OVERLAP_TOKENS", "FARO_EMBED_BATCH_SIZE", "FARO_EMBED_LINGER_MS",
        "FARO_SINK_BATCH_SIZE", "FARO_SINK_LINGER_MS", "FARO_MAX_DOCUMENT_BYTES", "FARO_MAX_REQUEST_BYTES",
        "FARO_MAX_TOP_K", "FARO_METRICS_PORT"})
    void shouldRejectNonIntegerValueNamingTheVariable(String variable) {
        // given
        Map<String, String> vars = Map.of(variable, "12abc");

        // when / then
        assertThatThrownBy(() -> config(vars))
                .isInstanceOf(ConfigException.class)
                .hasMessage(variable + "=12abc is not an integer");
    }

    @ParameterizedTest
    @CsvSource({
        "FARO_KAFKA_PORT, 65536",
        "FARO_KAFKA_PORT, -1",
        "FARO_HTTP_PORT, 70000",
        "FARO_METRICS_PORT, 65536",
        "FARO_PG_PORT, 99999",
        "FARO_TOPIC_PARTITIONS, 0",
        "FARO_TOPIC_PARTITIONS, 1001",
        "FARO_CHUNK_SIZE_TOKENS, 15",
        "FARO_CHUNK_SIZE_TOKENS, 8193",
        "FARO_CHUNK_OVERLAP_TOKENS, -1",
        "FARO_EMBED_BATCH_SIZE, 0",
        "FARO_EMBED_LINGER_MS, 0",
        "FARO_SINK_BATCH_SIZE, 100001",
        "FARO_SINK_LINGER_MS, 60001",
        "FARO_MAX_DOCUMENT_BYTES, 1023",
        "FARO_MAX_REQUEST_BYTES, 16777217",
        "FARO_MAX_TOP_K, 1001"})
    void shouldRejectOutOfRangeValueNamingTheVariable(String variable, String value) {
        // given
        Map<String, String> vars = Map.of(variable, value);

        // when / then
        assertThatThrownBy(() -> config(vars))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable + "=" + value + " is out of range [");
    }

    @Test
    void shouldAcceptBoundaryValuesOfRanges() {
        // given
        Map<String, String> vars = Map.of(
                "FARO_TOPIC_PARTITIONS", "1000",
                "FARO_HTTP_PORT", "65535",
                "FARO_KAFKA_PORT", "0",
                "FARO_CHUNK_SIZE_TOKENS", "16",
                "FARO_CHUNK_OVERLAP_TOKENS", "0",
                "FARO_MAX_DOCUMENT_BYTES", "1024");

        // when
        FaroConfig config = config(vars);

        // then
        assertThat(config.kafka().topicPartitions()).isEqualTo(1000);
        assertThat(config.http().port()).isEqualTo(65535);
        assertThat(config.kafka().embeddedPort()).isZero();
        assertThat(config.chunkSizeTokens()).isEqualTo(16);
        assertThat(config.chunkOverlapTokens()).isZero();
        assertThat(config.maxDocumentBytes()).isEqualTo(1024);
    }

    @Test
    void shouldBuildTheHnswGraphWithPgvectorsDefaultsUnlessToldOtherwise() {
        assertThat(config(Map.of()).pg().hnsw()).isEqualTo(new FaroConfig.HnswBuild(16, 64));
        assertThat(config(Map.of("FARO_PG_HNSW_M", "24", "FARO_PG_HNSW_EF_CONSTRUCTION", "200")).pg().hnsw())
                .isEqualTo(new FaroConfig.HnswBuild(24, 200));
        // a larger m alone raises ef_construction to the least pgvector takes with it
        assertThat(config(Map.of("FARO_PG_HNSW_M", "48")).pg().hnsw()).isEqualTo(new FaroConfig.HnswBuild(48, 96));
        assertThat(config(Map.of("FARO_PG_HNSW_M", "24")).pg().hnsw().storageParameters())
                .isEqualTo("m = 24, ef_construction = 64");
    }

    @ParameterizedTest
    @CsvSource({"1, 64, FARO_PG_HNSW_M=1 is out of range", "101, 300, FARO_PG_HNSW_M=101 is out of range",
            "16, 1001, FARO_PG_HNSW_EF_CONSTRUCTION=1001 is out of range",
            "32, 63, FARO_PG_HNSW_EF_CONSTRUCTION must be between 2 × FARO_PG_HNSW_M (64) and 1000, got 63"})
    void shouldRefuseHnswBuildSettingsPgvectorWouldRefuse(String m, String efConstruction, String message) {
        assertThatThrownBy(() -> config(Map.of("FARO_PG_HNSW_M", m, "FARO_PG_HNSW_EF_CONSTRUCTION", efConstruction)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest
    @CsvSource({"100, 100", "100, 150"})
    void shouldRejectOverlapNotSmallerThanChunkSize(String size, String overlap) {
        // given
        Map<String, String> vars = Map.of("FARO_CHUNK_SIZE_TOKENS", size, "FARO_CHUNK_OVERLAP_TOKENS", overlap);

        // when / then
        assertThatThrownBy(() -> config(vars))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FARO_CHUNK_OVERLAP_TOKENS=" + overlap)
                .hasMessageContaining("must be smaller than FARO_CHUNK_SIZE_TOKENS=" + size);
    }

    @Test
    void shouldAcceptOverlapOneBelowChunkSize() {
        // given
        Map<String, String> vars = Map.of("FARO_CHUNK_SIZE_TOKENS", "100", "FARO_CHUNK_OVERLAP_TOKENS", "99");

        // when
        FaroConfig config = config(vars);

        // then
        assertThat(config.chunkOverlapTokens()).isEqualTo(99);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Chunks", "1chunks", "faro-chunks", "faro;drop table x", "chunks table",
        "a23456789012345678901234567890123"})
    void shouldRejectBadTableName(String table) {
        // given
        Map<String, String> vars = Map.of("FARO_PG_TABLE", table);

        // when / then
        assertThatThrownBy(() -> config(vars))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("FARO_PG_TABLE=" + table)
                .hasMessageContaining("lower-case SQL identifier");
    }

    @ParameterizedTest
    @ValueSource(strings = {"_chunks", "c", "faro_chunks_v2",
        "a2345678901234567890123456789012"})
    void shouldAcceptValidTableName(String table) {
        // given
        Map<String, String> vars = Map.of("FARO_PG_TABLE", table);

        // when
        FaroConfig config = config(vars);

        // then
        assertThat(config.pg().table()).isEqualTo(table);
    }

    @Test
    void shouldRejectUnknownEmbeddingModelListingKnownOnes() {
        // given
        Map<String, String> vars = Map.of("FARO_EMBEDDING_MODEL", "text-embedding-3-small");

        // when / then
        assertThatThrownBy(() -> config(vars))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("FARO_EMBEDDING_MODEL=text-embedding-3-small is not a known model")
                .hasMessageContaining("all-minilm-l6-v2")
                .hasMessageContaining("bge-small-en-v1.5-q");
    }

    @Test
    void shouldUseBootstrapVariableWhenSet() {
        // given
        Map<String, String> vars = Map.of("FARO_KAFKA_BOOTSTRAP", "kafka.example:9094", "FARO_KAFKA_PORT", "19092");

        // when
        String bootstrap = config(vars).kafka().bootstrapServers();

        // then
        assertThat(bootstrap).isEqualTo("kafka.example:9094");
    }

    @Test
    void shouldUseLocalhostAndDefaultPortWhenBootstrapNotSet() {
        // given
        Map<String, String> vars = Map.of();

        // when
        String bootstrap = config(vars).kafka().bootstrapServers();

        // then
        assertThat(bootstrap).isEqualTo("localhost:9092");
    }

    @Test
    void shouldUseLocalhostAndConfiguredPortWhenBootstrapNotSet() {
        // given
        Map<String, String> vars = Map.of("FARO_KAFKA_PORT", "19092");

        // when
        String bootstrap = config(vars).kafka().bootstrapServers();

        // then
        assertThat(bootstrap).isEqualTo("localhost:19092");
    }

    @Test
    void shouldReplacePortsKeepingOtherSettings() {
        // given
        FaroConfig config = config(Map.of("FARO_PG_TABLE", "other_table", "FARO_MAX_TOP_K", "9",
                "FARO_CONSOLE", "false"));

        // when
        FaroConfig moved = config.withPorts(1111, 2222, 3333);

        // then
        assertThat(moved.kafka().embeddedPort()).isEqualTo(1111);
        assertThat(moved.http().port()).isEqualTo(2222);
        assertThat(moved.pg().port()).isEqualTo(3333);
        assertThat(moved.kafka().bootstrapServers()).isEqualTo("localhost:1111");
        assertThat(moved.pg().table()).isEqualTo("other_table");
        assertThat(moved.maxTopK()).isEqualTo(9);
        assertThat(moved.http().console()).isFalse();
    }
}
