package io.faro.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    private static final String TOPIC = "faro.test";

    private final JsonSerde<Chunk> chunkSerde = JsonSerde.of(Chunk.class);
    private final JsonSerde<EmbeddedChunk> embeddedSerde = JsonSerde.of(EmbeddedChunk.class);

    private static Chunk sampleChunk() {
        return new Chunk(Chunk.idOf("doc-1", 2), "doc-1", 42L, 2, "Lighthouses", "FARO means lighthouse.",
                Map.of("lang", "en", "pages", 3, "tags", List.of("a", "b"), "source", Map.of("rev", 7)));
    }

    @Test
    void shouldRoundTripChunkWithSnakeCaseFields() {
        // given
        Chunk chunk = sampleChunk();

        // when
        byte[] bytes = chunkSerde.serializer().serialize(TOPIC, chunk);
        Chunk back = chunkSerde.deserializer().deserialize(TOPIC, bytes);

        // then
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json)
                .contains("\"chunk_id\":\"doc-1#2\"")
                .contains("\"doc_id\":\"doc-1\"")
                .contains("\"chunk_index\":2")
                .doesNotContain("chunkId")
                .doesNotContain("docId");
        assertThat(back).isEqualTo(chunk);
        assertThat(back.metadata()).containsEntry("source", Map.of("rev", 7)).containsEntry("tags", List.of("a", "b"));
    }

    @Test
    void shouldRoundTripEmbeddedChunkWithItsVector() {
        // given
        float[] vector = {0.25f, -1.5f, 3.0e-7f, 0.0f};
        EmbeddedChunk embedded = new EmbeddedChunk(sampleChunk(), "all-minilm-l6-v2", 4, vector);

        // when
        byte[] bytes = embeddedSerde.serializer().serialize(TOPIC, embedded);
        EmbeddedChunk back = embeddedSerde.deserializer().deserialize(TOPIC, bytes);

        // then
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"chunk_id\"").contains("\"doc_id\"").contains("\"model\":\"all-minilm-l6-v2\"");
        assertThat(back).isEqualTo(embedded);
        assertThat(back.vector()).containsExactly(vector);
        assertThat(back.chunk()).isEqualTo(sampleChunk());
        assertThat(back.dimension()).isEqualTo(4);
    }

    @Test
    void shouldWriteVectorsAsBase64OfLittleEndianFloat32() {
        // given 1.0f and -2.0f: 00 00 80 3f and 00 00 00 c0 in little-endian float32
        EmbeddedChunk embedded = new EmbeddedChunk(sampleChunk(), "m", 2, new float[] {1.0f, -2.0f});

        // when
        String json = new String(embeddedSerde.serializer().serialize(TOPIC, embedded), StandardCharsets.UTF_8);

        // then the vector is one base64 string, not a decimal number per value
        assertThat(json).contains("\"vector\":\"AACAPwAAAMA=\"");
    }

    @Test
    void shouldStillReadVectorsWrittenAsArraysOfNumbers() {
        // given an embedding record as FARO wrote it before vectors were binary
        byte[] bytes = """
                {"chunk":{"chunk_id":"d#0","doc_id":"d","doc_version":0,"chunk_index":0,"title":"T","text":"hello",\
                "metadata":{}},"model":"m","dimension":3,"vector":[0.25,-1.5,3.0E-7]}
                """.getBytes(StandardCharsets.UTF_8);

        // when
        EmbeddedChunk embedded = embeddedSerde.deserializer().deserialize(TOPIC, bytes);

        // then
        assertThat(embedded.vector()).containsExactly(0.25f, -1.5f, 3.0e-7f);
    }

    @Test
    void shouldRefuseABinaryVectorWhoseLengthIsNotWholeFloats() {
        // given a base64 vector of 5 bytes
        byte[] bytes = """
                {"chunk":{"chunk_id":"d#0","doc_id":"d","doc_version":0,"chunk_index":0,"title":"T","text":"hello",\
                "metadata":{}},"model":"m","dimension":1,"vector":"AACAPwA="}
                """.getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> embeddedSerde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("multiple of 4 bytes");
    }

    @Test
    void shouldReadChunkWithSnakeCaseFieldsAndIgnoreUnknownOnes() {
        // given
        byte[] bytes = """
                {"chunk_id":"d#0","doc_id":"d","doc_version":0,"chunk_index":0,"title":"T","text":"hello","metadata":{},"extra":1}
                """.getBytes(StandardCharsets.UTF_8);

        // when
        Chunk chunk = chunkSerde.deserializer().deserialize(TOPIC, bytes);

        // then
        assertThat(chunk).isEqualTo(new Chunk("d#0", "d", 0L, 0, "T", "hello", Map.of()));
    }

    @Test
    void shouldSerializeNullAsNull() {
        // given a tombstone
        Chunk tombstone = null;

        // when
        byte[] chunkBytes = chunkSerde.serializer().serialize(TOPIC, tombstone);
        byte[] embeddedBytes = embeddedSerde.serializer().serialize(TOPIC, null);

        // then
        assertThat(chunkBytes).isNull();
        assertThat(embeddedBytes).isNull();
    }

    @Test
    void shouldDeserializeNullAsNull() {
        // given a tombstone
        byte[] tombstone = null;

        // when
        Chunk chunk = chunkSerde.deserializer().deserialize(TOPIC, tombstone);
        EmbeddedChunk embedded = embeddedSerde.deserializer().deserialize(TOPIC, tombstone);

        // then
        assertThat(chunk).isNull();
        assertThat(embedded).isNull();
    }

    @Test
    void shouldThrowSerializationExceptionForMalformedBytes() {
        // given
        byte[] malformed = "{\"chunk_id\":\"d#0\",".getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> chunkSerde.deserializer().deserialize(TOPIC, malformed))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot read Chunk from faro.test");
    }

    @Test
    void shouldThrowSerializationExceptionForTrailingBytes() {
        // given
        byte[] trailing = "{\"chunk_id\":\"d#0\",\"doc_id\":\"d\",\"text\":\"t\"} junk".getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> chunkSerde.deserializer().deserialize(TOPIC, trailing))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldThrowSerializationExceptionForEmbeddedChunkWhoseVectorDisagreesWithDimension() {
        // given
        String chunkJson = new String(chunkSerde.serializer().serialize(TOPIC, sampleChunk()), StandardCharsets.UTF_8);
        byte[] bytes = ("{\"chunk\":" + chunkJson + ",\"model\":\"m\",\"dimension\":3,\"vector\":[0.1,0.2]}")
                .getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> embeddedSerde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot read EmbeddedChunk");
    }
}
