package io.faro.connectors.restore;

import io.faro.core.kafka.KafkaSettings;
import io.faro.maintenance.replay.TopicReplay;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a compacted topic holds now, in little memory: the latest record of every key, as the first 64 bits of
 * the SHA-256 of its value (a tombstone removes the key). A restore compares an archived chunk's bytes against it,
 * and writes only the chunks the topic lacks or holds otherwise.
 */
final class TopicDigests {

    private static final int BATCH = 1_000;

    private TopicDigests() {
    }

    static Map<String, Long> read(KafkaSettings kafka, String topic, Consumer<TopicReplay.Progress> progress) {
        Map<String, Long> digests = new HashMap<>();
        try (TopicReplay replay = new TopicReplay(kafka, topic, BATCH, progress)) {
            replay.pass("read " + topic, batch -> batch.forEach((key, value) -> {
                if (value == null) {
                    digests.remove(key);
                } else {
                    digests.put(key, digest(value));
                }
            }));
        }
        return digests;
    }

    static long digest(byte[] value) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(value)).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
