package io.faro.connectors.archive;

import io.faro.core.json.JsonSerde;
import io.faro.core.model.Chunk;
import io.faro.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/** What one record of {@code faro.chunks} asks of the archive: put the chunk's JSON, or delete its object. */
sealed interface ArchiveWrite {

    Deserializer<Chunk> CHUNKS = JsonSerde.of(Chunk.class).deserializer();

    /** The object key written. */
    String key();

    /** The chunk's record value, byte for byte, so that a restore gives back exactly what the topic held. */
    record Put(String key, byte[] json) implements ArchiveWrite {
    }

    record Delete(String key) implements ArchiveWrite {
    }

    /**
     * The write a record asks for.
     *
     * @throws InvalidChunkRecordException when the record has no chunk id as key, or a value that is not that chunk
     */
    static ArchiveWrite of(ArchiveLayout layout, ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            throw new InvalidChunkRecordException("a record of " + Topics.CHUNKS.name() + " without a key (the chunk id)");
        }
        String chunkId = new String(record.key(), StandardCharsets.UTF_8);
        String key;
        try {
            key = layout.objectKey(chunkId);
        } catch (IllegalArgumentException e) {
            throw new InvalidChunkRecordException(e.getMessage());
        }
        if (record.value() == null) {
            return new Delete(key);
        }
        Chunk chunk;
        try {
            chunk = CHUNKS.deserialize(Topics.CHUNKS.name(), record.value());
        } catch (SerializationException e) {
            throw new InvalidChunkRecordException("the value of chunk " + chunkId + " is not a chunk: " + e.getMessage());
        }
        if (!chunkId.equals(chunk.chunkId())) {
            throw new InvalidChunkRecordException("the record of chunk " + chunkId + " holds chunk " + chunk.chunkId());
        }
        return new Put(key, record.value());
    }
}
