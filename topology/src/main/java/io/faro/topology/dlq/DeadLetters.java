package io.faro.topology.dlq;

import io.faro.core.topic.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The dead-letter contract: a rejected record goes to {@code faro.dlq} unchanged (key and value
 * bytes), with headers ({@link DeadLetterHeaders}) that say where it came from, which stage refused it
 * and why.
 */
public final class DeadLetters {

    public static final String STAGE_PARSE = "parse";
    public static final String STAGE_SPLIT = "split";
    public static final String STAGE_EMBED = "embed";
    public static final String STAGE_SINK = "sink";

    private DeadLetters() {
    }

    /** Headers for a dead letter; {@code source} is absent when the record was not read from a topic. */
    public static Headers headers(String stage, Throwable error, java.util.Optional<RecordMetadata> source) {
        Headers headers = new RecordHeaders();
        add(headers, DeadLetterHeaders.STAGE, stage);
        add(headers, DeadLetterHeaders.REASON,
                error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
        add(headers, DeadLetterHeaders.EXCEPTION, error.getClass().getName());
        add(headers, DeadLetterHeaders.FAILED_AT, Instant.now().toString());
        source.ifPresent(meta -> {
            add(headers, DeadLetterHeaders.SOURCE_TOPIC, meta.topic());
            add(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(meta.partition()));
            add(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(meta.offset()));
        });
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
