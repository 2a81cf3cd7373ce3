package io.faro.connectors.testing;

import io.faro.core.json.JsonSerde;
import io.faro.core.model.Chunk;
import io.faro.core.topic.Topics;
import java.util.Map;

/** Chunks as the ingest writes them to {@code faro.chunks}: key the chunk id, value the chunk's JSON. */
public final class Chunks {

    private Chunks() {
    }

    public static Chunk chunk(String docId, long version, int index, String text) {
        return new Chunk(Chunk.idOf(docId, index), docId, version, index, docId, text, Map.of("lang", "en"));
    }

    public static byte[] json(Chunk chunk) {
        return JsonSerde.of(Chunk.class).serializer().serialize(Topics.CHUNKS.name(), chunk);
    }

    public static Map.Entry<String, byte[]> record(Chunk chunk) {
        return Map.entry(chunk.chunkId(), json(chunk));
    }

    /** A chunk's tombstone (an entry with a null value, which {@code Map.entry} would refuse). */
    public static Map.Entry<String, byte[]> tombstone(String chunkId) {
        return new java.util.AbstractMap.SimpleImmutableEntry<>(chunkId, null);
    }
}
