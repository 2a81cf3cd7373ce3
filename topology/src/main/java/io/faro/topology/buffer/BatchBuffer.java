package io.faro.topology.buffer;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Records waiting to be handled as a batch, kept in a changelogged state store. Because the buffer is
 * restored from its changelog after a crash, Kafka Streams may commit the offsets of buffered records
 * before the batch is handled without losing them. A key appears once: a newer value replaces the
 * waiting one.
 */
public final class BatchBuffer<V> {

    private final KeyValueStore<String, V> store;

    public BatchBuffer(KeyValueStore<String, V> store) {
        this.store = store;
    }

    public static <V> StoreBuilder<KeyValueStore<String, V>> storeBuilder(String name, Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), valueSerde)
                .withCachingDisabled();
    }

    public void put(String key, V value) {
        store.put(key, value);
    }

    /** Exact for the in-memory store this buffer is built on. */
    public long size() {
        return store.approximateNumEntries();
    }

    public List<KeyValue<String, V>> peek(int max) {
        List<KeyValue<String, V>> batch = new ArrayList<>(Math.min(max, (int) Math.min(size(), max)));
        try (KeyValueIterator<String, V> it = store.all()) {
            while (it.hasNext() && batch.size() < max) {
                batch.add(it.next());
            }
        }
        return batch;
    }

    public void remove(List<KeyValue<String, V>> handled) {
        handled.forEach(entry -> store.delete(entry.key));
    }
}
