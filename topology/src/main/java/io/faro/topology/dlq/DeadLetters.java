package io.faro.topology.dlq;

import io.faro.core.dlq.DeadLetterHeaders;
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

    // The header names, for the topology's code; core's DeadLetterHeaders holds them for every reader.
    public static final String STAGE = DeadLetterHeaders.STAGE;
    public static final String REASON = DeadLetterHeaders.REASON;
    public static final String EXCEPTION = DeadLetterHeaders.EXCEPTION;
    public static final String FAILED_AT = DeadLetterHeaders.FAILED_AT;
    public static final String SOURCE_TOPIC = DeadLetterHeaders.SOURCE_TOPIC;
    public static final String SOURCE_PARTITION = DeadLetterHeaders.SOURCE_PARTITION;
    public static final String SOURCE_OFFSET = DeadLetterHeaders.SOURCE_OFFSET;

    public static final String STAGE_FETCH = "fetch";
    public static final String STAGE_PARSE = "parse";
    public static final String STAGE_EXTRACT = "extract";
    public static final String STAGE_SPLIT = "split";
    public static final String STAGE_EMBED = "embed";
    public static final String STAGE_SINK = "sink";

    private DeadLetters() {
    }

    /** Headers for a dead letter; {@code source} is absent when the record was not read from a topic. */
    public static Headers headers(String stage, Throwable error, java.util.Optional<RecordMetadata> source) {
        Headers headers = new RecordHeaders();
        add(headers, STAGE, stage);
        add(headers, REASON,
                error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
        add(headers, EXCEPTION, error.getClass().getName());
        add(headers, FAILED_AT, Instant.now().toString());
        source.ifPresent(meta -> {
            add(headers, SOURCE_TOPIC, meta.topic());
            add(headers, SOURCE_PARTITION, Integer.toString(meta.partition()));
            add(headers, SOURCE_OFFSET, Long.toString(meta.offset()));
        });
        return headers;
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
