package io.faro.cli.faults;

import io.faro.core.kafka.KafkaSettings;
import io.faro.maintenance.replay.EmbeddingsSnapshot;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.store.StoredDocument;
import io.faro.core.store.VectorStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Derives what every store should hold from the embeddings topic (the system of record: the latest
 * record of each chunk id, tombstones removing it) and lists every way a store differs: chunks missing,
 * extra or stale, a wrong total (duplicates), or malformed vectors on the topic.
 */
public final class StoreChecker {

    private final String bootstrapServers;

    public StoreChecker(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** The live chunks: chunk id to its latest embedding, read from the start of the topic to its end. */
    public Map<String, EmbeddedChunk> liveChunks() {
        Map<String, EmbeddedChunk> live = new java.util.HashMap<>();
        EmbeddingsSnapshot.scan(KafkaSettings.at(bootstrapServers), Duration.ofSeconds(60), java.util.Optional.empty(),
                record -> {
                    if (record.value() == null) {
                        live.remove(record.key());
                    } else {
                        EmbeddingsSnapshot.decode(record).ifPresent(embedded -> live.put(record.key(), embedded));
                    }
                });
        return live;
    }

    /**
     * Waits until every document is settled and no store differs from the topic, and returns the
     * differences found last (empty when the stores agree), so that a failing test says what is wrong.
     */
    public List<String> awaitAgreement(List<VectorStore> stores, Set<String> docIds,
                                       java.util.function.BiPredicate<String, Map<String, EmbeddedChunk>> settled,
                                       Duration timeout) {
        java.util.concurrent.atomic.AtomicReference<List<String>> last =
                new java.util.concurrent.atomic.AtomicReference<>(List.of("never checked"));
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> {
                        Map<String, EmbeddedChunk> live = liveChunks();
                        List<String> problems = new ArrayList<>();
                        docIds.stream().filter(id -> !settled.test(id, live))
                                .forEach(id -> problems.add("topic: " + id + " does not show its last publication yet"));
                        stores.forEach(store -> problems.addAll(differences(store, live, docIds)));
                        last.set(problems);
                        return problems.isEmpty();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the caller asserts on the differences found last
        }
        return last.get();
    }

    /** Every difference between the topic's live set and the store; empty when they agree. */
    public List<String> differences(VectorStore store, Map<String, EmbeddedChunk> live, Set<String> docIds) {
        List<String> problems = new ArrayList<>();
        Map<String, List<EmbeddedChunk>> byDoc = live.values().stream()
                .collect(Collectors.groupingBy(e -> e.chunk().docId()));
        Set<String> allDocs = new HashSet<>(docIds);
        allDocs.addAll(byDoc.keySet());
        for (String docId : allDocs) {
            List<EmbeddedChunk> expected = byDoc.getOrDefault(docId, List.of());
            Set<String> expectedIds = expected.stream().map(EmbeddedChunk::chunkId).collect(Collectors.toSet());
            StoredDocument held = store.describe(docId);
            Set<String> missing = new HashSet<>(expectedIds);
            missing.removeAll(held.chunkIds());
            Set<String> extra = new HashSet<>(held.chunkIds());
            extra.removeAll(expectedIds);
            if (!missing.isEmpty()) {
                problems.add(store.name() + ": " + docId + " misses " + missing);
            }
            if (!extra.isEmpty()) {
                problems.add(store.name() + ": " + docId + " has extra " + extra);
            }
            long latest = expected.stream().mapToLong(e -> e.chunk().docVersion()).max().orElse(-1);
            if (held.isPresent() && (held.version() != latest || held.oldestVersion() != latest)) {
                problems.add(store.name() + ": " + docId + " is at versions " + held.oldestVersion() + " to "
                        + held.version() + ", not " + latest);
            }
        }
        long count = store.count();
        if (count != live.size()) {
            problems.add(store.name() + ": holds " + count + " chunks, the topic " + live.size());
        }
        live.values().forEach(e -> {
            for (float v : e.vector()) {
                if (!Float.isFinite(v)) {
                    problems.add("topic: " + e.chunkId() + " has a non-finite vector value");
                    return;
                }
            }
        });
        return problems;
    }
}
