package io.faro.cli.faults;

import io.faro.core.json.Json;
import io.faro.core.model.Document;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes documents (and poison) to {@code faro.documents} and remembers what each document was last
 * published as, so a test can tell when the pipeline has caught up with it.
 */
final class TrackedPublisher implements AutoCloseable {

    private static final String[] TOPICS = {"lighthouses guide ships past the rocks at night",
            "sourdough starters leaven the bread", "glaciers carve deep valleys as they creep downhill",
            "bees dance to show where the flowers are", "tides rise and fall with the pull of the moon",
            "owls hunt mice in the fields after dark"};

    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, Optional<String>> lastPublished = new ConcurrentHashMap<>();

    TrackedPublisher(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A text of {@code paragraphs} short paragraphs, different for each seed. */
    static String text(int seed, int paragraphs) {
        List<String> parts = new ArrayList<>();
        for (int p = 0; p < paragraphs; p++) {
            parts.add("Part " + p + " of text " + seed + ": " + TOPICS[(seed + p) % TOPICS.length] + ".");
        }
        return String.join("\n\n", parts);
    }

    String publish(String id, String text) {
        lastPublished.put(id, Optional.of(text));
        send(id, json(id, text));
        return id;
    }

    void tombstone(String id) {
        lastPublished.put(id, Optional.empty());
        send(id, null);
    }

    static byte[] json(String id, String text) {
        try {
            return Json.mapper().writeValueAsBytes(new Document(id, id, text, Map.of("suite", "faults")));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    String send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), key.getBytes(StandardCharsets.UTF_8), value))
                    .get();
        } catch (Exception e) {
            throw new AssertionError("publishing " + key + " failed", e);
        }
        return key;
    }

    /**
     * Whether the topic reflects the document's last publication: no chunks after a delete, otherwise
     * a first chunk with which its latest text begins.
     */
    boolean isSettled(String docId, Map<String, EmbeddedChunk> live) {
        Optional<String> text = lastPublished.getOrDefault(docId, Optional.empty());
        return text.map(latest -> live.values().stream().anyMatch(e -> e.chunk().docId().equals(docId)
                        && e.chunk().chunkIndex() == 0 && latest.startsWith(e.chunk().text().split("\n\n")[0])))
                .orElseGet(() -> live.values().stream().noneMatch(e -> e.chunk().docId().equals(docId)));
    }

    @Override
    public void close() {
        producer.close();
    }
}
