package io.faro.maintenance.migrate;

import io.faro.core.json.JsonSerde;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records of {@code faro.chunks} as a replay hands them on, and their embeddings in a test model. */
final class Records {

    static final String TOPIC = "faro.chunks";
    static final JsonSerde<Chunk> SERDE = JsonSerde.of(Chunk.class);

    private Records() {
    }

    static Chunk chunk(String chunkId) {
        return new Chunk(chunkId, chunkId.substring(0, chunkId.indexOf('#')), 1, 0, "t", "text of " + chunkId,
                Map.of());
    }

    static Map.Entry<String, byte[]> upsert(String chunkId) {
        return new AbstractMap.SimpleEntry<>(chunkId, SERDE.serializer().serialize(TOPIC, chunk(chunkId)));
    }

    static Map.Entry<String, byte[]> tombstone(String chunkId) {
        return new AbstractMap.SimpleEntry<>(chunkId, null);
    }

    @SafeVarargs
    static Map<String, byte[]> batch(Map.Entry<String, byte[]>... records) {
        Map<String, byte[]> batch = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> record : records) {
            batch.put(record.getKey(), record.getValue());
        }
        return batch;
    }

    static EmbeddedChunk embedded(Chunk chunk, String model) {
        return new EmbeddedChunk(chunk, model, 2, new float[] {1f, 0f});
    }

    static List<EmbeddedChunk> embedAll(List<Chunk> chunks, String model) {
        return chunks.stream().map(chunk -> embedded(chunk, model)).toList();
    }
}
