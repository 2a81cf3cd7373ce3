package io.faro.topology.buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
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
 *
 * <p>The store is cached: Kafka Streams writes an entry to the changelog only when a commit finds it
 * still waiting (before it commits the offsets), or when the cache is full. An entry handled between two
 * commits, as most are, costs the changelog a tombstone instead of its whole value.
 */
public final class BatchBuffer<V> {

    private final KeyValueStore<String, V> store;
    private long size;

    /** A buffer over {@code store}, counting the entries it holds already (restored from the changelog). */
    public BatchBuffer(KeyValueStore<String, V> store) {
        this.store = store;
        try (KeyValueIterator<String, V> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                size++;
            }
        }
    }

    public static <V> StoreBuilder<KeyValueStore<String, V>> storeBuilder(String name, Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), valueSerde)
                .withCachingEnabled();
    }

    public void put(String key, V value) {
        if (store.get(key) == null) {
            size++;
        }
        store.put(key, value);
    }

    public V get(String key) {
        return store.get(key);
    }

    /** The entries waiting; counted here, because the cached store's own estimate leaves out the cache. */
    public long size() {
        return size;
    }

    public List<KeyValue<String, V>> peek(int max) {
        return peek(max, entry -> true);
    }

    /** Up to {@code max} of the waiting entries that {@code eligible} accepts. */
    public List<KeyValue<String, V>> peek(int max, Predicate<KeyValue<String, V>> eligible) {
        List<KeyValue<String, V>> batch = new ArrayList<>((int) Math.min(size, max));
        try (KeyValueIterator<String, V> it = store.all()) {
            while (it.hasNext() && batch.size() < max) {
                KeyValue<String, V> entry = it.next();
                if (eligible.test(entry)) {
                    batch.add(entry);
                }
            }
        }
        return batch;
    }

    /** Removes each entry that still holds the value it was handled with; a newer value stays to be handled. */
    public void removeHandled(List<KeyValue<String, V>> handled) {
        for (KeyValue<String, V> entry : handled) {
            if (Objects.equals(store.get(entry.key), entry.value) && store.delete(entry.key) != null) {
                size--;
            }
        }
    }

    public void remove(List<KeyValue<String, V>> handled) {
        for (KeyValue<String, V> entry : handled) {
            if (store.delete(entry.key) != null) {
                size--;
            }
        }
    }
}
