package io.faro.maintenance.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.json.JsonSerde;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveChunksTest {

    private static final JsonSerde<EmbeddedChunk> SERDE = JsonSerde.of(EmbeddedChunk.class);

    private static byte[] embedding(String chunkId, long version) {
        Chunk chunk = new Chunk(chunkId, "doc", version, 0, "t", "text", Map.of());
        return SERDE.serializer().serialize("faro.embeddings", new EmbeddedChunk(chunk, "m", 2, new float[] {1f, 0f}));
    }

    @Test
    void shouldDecodeUpsertsAndTombstonesAndSkipARecordThatIsNoEmbedding() {
        // given a live chunk from an earlier batch, then a batch with an update, a tombstone and a poison record
        LiveChunks live = new LiveChunks();
        Map<String, byte[]> first = new LinkedHashMap<>();
        first.put("a#0", embedding("a#0", 1));
        first.put("b#0", embedding("b#0", 1));
        live.take(first, "faro.embeddings", SERDE.deserializer(), e -> e.chunk().docVersion());
        Map<String, byte[]> second = new LinkedHashMap<>();
        second.put("a#0", embedding("a#0", 2));
        second.put("b#0", null);
        second.put("poison#0", "{\"chunk\":{\"chunk_id\":\"poison#0\"}}".getBytes(StandardCharsets.UTF_8));

        // when
        LiveChunks.Batch<EmbeddedChunk> batch = live.take(second, "faro.embeddings", SERDE.deserializer(),
                e -> e.chunk().docVersion());

        // then the poison record is skipped, as the sinks skip it, and the rest is decoded in order
        assertThat(batch.upserts()).extracting(EmbeddedChunk::chunkId).containsExactly("a#0");
        assertThat(batch.deletes()).containsExactly("b#0");
        assertThat(live.ids()).containsExactly("a#0");
        assertThat(live.skipped()).isEqualTo(1);
    }
}
