package io.faro.maintenance.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunks a replay has found live so far, with their document versions: what a new copy is
 * verified against. Each batch of a {@link TopicReplay} passes through {@link #take}, which decodes it.
 */
public final class LiveChunks {

    private static final Logger LOG = LoggerFactory.getLogger(LiveChunks.class);

    private final Map<String, Long> versions = new HashMap<>();
    private long skipped;

    /** A decoded batch: the records to write, and the chunk ids whose tombstones came. */
    public record Batch<T>(List<T> upserts, List<String> deletes) {
    }

    /** Decodes a batch from {@code topic} and records which chunks it leaves live, at which version. */
    public <T> Batch<T> take(Map<String, byte[]> batch, String topic, Deserializer<T> deserializer,
                             ToLongFunction<T> docVersion) {
        List<T> upserts = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        batch.forEach((chunkId, value) -> {
            if (value == null) {
                deletes.add(chunkId);
                versions.remove(chunkId);
            } else {
                T record;
                try {
                    record = deserializer.deserialize(topic, value);
                } catch (SerializationException e) {
                    // the sinks sent this record to the dead-letter topic and kept what they had: so does a replay
                    skipped++;
                    LOG.warn("{} record of chunk {} cannot be read and is skipped, as the sinks skipped it: {}",
                            topic, chunkId, e.getMessage());
                    return;
                }
                upserts.add(record);
                versions.put(chunkId, docVersion.applyAsLong(record));
            }
        });
        return new Batch<>(upserts, deletes);
    }

    public Set<String> ids() {
        return versions.keySet();
    }

    public int size() {
        return versions.size();
    }

    /** Records that could not be read, and were skipped. */
    public long skipped() {
        return skipped;
    }
}
