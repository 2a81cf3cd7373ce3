package io.faro.connectors.rebuild;

import io.faro.core.json.JsonSerde;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.StoreCopies;
import io.faro.core.store.StoreException;
import io.faro.core.store.VectorStore;
import io.faro.core.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Rebuilds a store from the system of record with no downtime:
 * <ol>
 *   <li>a new, empty copy is created (a copy left by an unfinished rebuild is removed first, so a
 *       killed rebuild simply starts again);</li>
 *   <li>{@code faro.embeddings} is replayed into it from the start to the current end, honouring
 *       tombstones; queries and the live sink keep using the old copy meanwhile;</li>
 *   <li>the copy is verified: its chunk ids must be exactly the topic's live set;</li>
 *   <li>it is switched live atomically, the old copy kept for rollback;</li>
 *   <li>the replay goes on to the end of the topic as it is after the switch, so that nothing published
 *       while it ran is lost across the switch (writes are idempotent and version-guarded, so records
 *       the live sink also wrote converge).</li>
 * </ol>
 */
public final class Rebuilder {

    private static final int BATCH = 500;

    private final String bootstrapServers;
    private final StoreCopies copies;
    private final String model;
    private final int dimension;
    private final Consumer<Progress> progress;

    public Rebuilder(String bootstrapServers, StoreCopies copies, String model, int dimension,
                     Consumer<Progress> progress) {
        this.bootstrapServers = bootstrapServers;
        this.copies = copies;
        this.model = model;
        this.dimension = dimension;
        this.progress = progress;
    }

    /** How far a replay has come. */
    public record Progress(String phase, long done, long total, double recordsPerSecond) {

        public Duration remaining() {
            return recordsPerSecond <= 0 ? Duration.ZERO
                    : Duration.ofSeconds((long) Math.ceil((total - done) / recordsPerSecond));
        }
    }

    /** What a rebuild did. */
    public record Result(String store, String liveCopy, String previousCopy, long records, int liveChunks) {
    }

    public Result rebuild() {
        copies.discardUnfinished();
        String previous = copies.live();
        StoreCopies.Copy copy = copies.createCopy(model, dimension);
        try (VectorStore target = copy.store();
             KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EMBEDDINGS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<String, Long> live = new HashMap<>();
            long records = replay(consumer, target, live, "replay");
            Set<String> held = target.versions().keySet();
            if (!held.equals(live.keySet())) {
                throw new StoreException("the new " + copies.name() + " copy " + copy.name() + " holds " + held.size()
                        + " chunks, the topic's live set " + live.size() + "; not switching. Run the rebuild again.");
            }
            copies.promote(copy.name());
            try (VectorStore promoted = copies.openLive(model, dimension)) {
                records += replay(consumer, promoted, live, "catch up");
            }
            return new Result(copies.name(), copies.live(), copies.previous().orElse(previous), records, live.size());
        }
    }

    /** Reads from the current positions to the end offsets as they are now; returns the records read. */
    private long replay(KafkaConsumer<String, byte[]> consumer, VectorStore target, Map<String, Long> live,
                        String phase) {
        var partitions = consumer.assignment();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long total = partitions.stream().mapToLong(p -> end.get(p) - consumer.position(p)).sum();
        long done = 0;
        long start = System.nanoTime();
        long lastReport = 0;
        var deserializer = JsonSerde.of(EmbeddedChunk.class).deserializer();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
            Map<String, EmbeddedChunk> batch = new LinkedHashMap<>();
            for (ConsumerRecord<String, byte[]> record : records) {
                if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                    continue; // past this phase's end: the next phase reads it again
                }
                batch.put(record.key(), record.value() == null ? null
                        : deserializer.deserialize(record.topic(), record.value()));
                done++;
                if (batch.size() >= BATCH) {
                    apply(batch, target, live);
                }
            }
            apply(batch, target, live);
            // records past this phase's end were polled but not applied: step back so the next phase sees them
            for (TopicPartition partition : partitions) {
                if (consumer.position(partition) > end.get(partition)) {
                    consumer.seek(partition, end.get(partition));
                }
            }
            long now = System.nanoTime();
            if (now - lastReport > 1_000_000_000L) {
                lastReport = now;
                progress.accept(new Progress(phase, done, total, done / ((now - start) / 1e9)));
            }
        }
        progress.accept(new Progress(phase, done, total, done / Math.max(1e-9, (System.nanoTime() - start) / 1e9)));
        return done;
    }

    private static void apply(Map<String, EmbeddedChunk> batch, VectorStore target, Map<String, Long> live) {
        if (batch.isEmpty()) {
            return;
        }
        List<EmbeddedChunk> upserts = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        batch.forEach((chunkId, embedded) -> {
            if (embedded == null) {
                deletes.add(chunkId);
                live.remove(chunkId);
            } else {
                upserts.add(embedded);
                live.put(chunkId, embedded.chunk().docVersion());
            }
        });
        target.upsert(upserts);
        target.delete(deletes);
        batch.clear();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "faro-rebuild-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, BATCH), new StringDeserializer(), new ByteArrayDeserializer());
    }
}
