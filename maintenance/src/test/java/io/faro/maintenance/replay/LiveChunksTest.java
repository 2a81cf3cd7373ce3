package io.faro.maintenance.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.json.JsonSerde;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import java.nio.charset.StandardCharsets;
import io.faro.core.testing.InMemoryVectorStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        try (LiveChunks live = new LiveChunks()) {
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
            assertThat(live.size()).isEqualTo(1);
            assertThat(live.skipped()).isEqualTo(1);
        }
    }

    @Test
    void shouldVerifyACopyLargerThanOneBucketHoldingNoMoreThanABucketInMemory() {
        // given 20 000 live chunks (some deleted again) seen in batches, compared 500 at a time
        try (LiveChunks live = new LiveChunks(100, 500)) {
            InMemoryVectorStore copy = new InMemoryVectorStore("copy");
            for (int from = 0; from < 20_000; from += 1_000) {
                Map<String, byte[]> batch = new LinkedHashMap<>();
                List<EmbeddedChunk> written = new ArrayList<>();
                for (int i = from; i < from + 1_000; i++) {
                    String id = "d" + i + "#0";
                    batch.put(id, i % 100 == 0 ? null : embedding(id, 1));
                }
                live.take(batch, "faro.embeddings", SERDE.deserializer(), e -> e.chunk().docVersion())
                        .upserts().forEach(written::add);
                copy.upsert(written);
            }

            // when the copy holds exactly the live set, then one chunk less, then one more
            LiveChunks.Comparison same = live.compareWith(copy);
            copy.delete(List.of("d5#0"));
            LiveChunks.Comparison lacking = live.compareWith(copy);
            copy.upsert(List.of(SERDE.deserializer().deserialize("t", embedding("d100#0", 1))));
            copy.upsert(List.of(SERDE.deserializer().deserialize("t", embedding("d5#0", 1))));
            LiveChunks.Comparison extra = live.compareWith(copy);

            // then each difference is found, with about a bucket in memory at most
            assertThat(same.sameChunks()).isTrue();
            assertThat(same.live()).isEqualTo(19_800);
            assertThat(lacking.missing()).isEqualTo(1);
            assertThat(extra.extra()).isEqualTo(1);
            assertThat(live.size()).isEqualTo(19_800);
            assertThat(live.peakHeldInMemory()).isPositive().isLessThanOrEqualTo(1_000);
        }
    }
}
