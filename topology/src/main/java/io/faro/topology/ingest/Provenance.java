package io.faro.topology.ingest;

import io.faro.topology.dlq.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where a document record came from, carried in its headers from the claim-check stage to the split. A record the
 * claim-check stage held back (its bytes were being fetched, or it waited behind a fetch of the same document) is
 * passed on later, from a punctuation or while another record is processed, when the context's record metadata is
 * no longer its own. So every record the stage passes on names its topic, partition and offset (the offset is the
 * document's version), and a fetched one also carries its claim check, which is what a dead letter must hold: the
 * record as published, not the megabytes fetched for it.
 */
final class Provenance {

    /** The claim-check record as published, on the inline document made from it. */
    static final String CLAIM_CHECK = "faro.claim-check";
    /** Headers only FARO may set on a record between its stages; whatever a producer sent under them is dropped. */
    private static final Set<String> RESERVED = Set.of(DeadLetters.SOURCE_TOPIC, DeadLetters.SOURCE_PARTITION,
            DeadLetters.SOURCE_OFFSET, CLAIM_CHECK);

    private Provenance() {
    }

    /** A position in a topic, as the dead-letter headers and the document version need it. */
    record Source(String topic, int partition, long offset) implements RecordMetadata {

        static Source of(RecordMetadata metadata) {
            return new Source(metadata.topic(), metadata.partition(), metadata.offset());
        }
    }

    /** The record's own headers, less any reserved ones a producer sent, plus where it came from. */
    static Headers stamp(Headers original, Source source) {
        Headers headers = new RecordHeaders();
        for (Header header : original) {
            if (!RESERVED.contains(header.key())) {
                headers.add(header);
            }
        }
        headers.add(DeadLetters.SOURCE_TOPIC, utf8(source.topic()));
        headers.add(DeadLetters.SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        headers.add(DeadLetters.SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        return headers;
    }

    /** As {@link #stamp}, for an inline document made from {@code claimCheck}. */
    static Headers stampFetched(Headers original, Source source, byte[] claimCheck) {
        Headers headers = stamp(original, source);
        headers.add(CLAIM_CHECK, claimCheck);
        return headers;
    }

    /** Where the record came from: its stamp, else the context's metadata (a record that met no claim-check stage). */
    static Optional<RecordMetadata> source(Record<byte[], byte[]> record, ProcessorContext<?, ?> context) {
        Header topic = record.headers().lastHeader(DeadLetters.SOURCE_TOPIC);
        Header partition = record.headers().lastHeader(DeadLetters.SOURCE_PARTITION);
        Header offset = record.headers().lastHeader(DeadLetters.SOURCE_OFFSET);
        if (topic != null && partition != null && offset != null) {
            return Optional.of(new Source(text(topic), Integer.parseInt(text(partition)), Long.parseLong(text(offset))));
        }
        return context.recordMetadata();
    }

    /** The document's version: the offset of its record in {@code faro.documents}. */
    static long version(Record<byte[], byte[]> record, ProcessorContext<?, ?> context) {
        return source(record, context).map(RecordMetadata::offset).orElse(0L);
    }

    /** Whether the value is an inline document made from a fetched claim check. */
    static boolean fetched(Record<byte[], byte[]> record) {
        return record.headers().lastHeader(CLAIM_CHECK) != null;
    }

    /** The value as published: the claim check of a fetched document, else the value itself. */
    static byte[] publishedValue(Record<byte[], byte[]> record) {
        Header claimCheck = record.headers().lastHeader(CLAIM_CHECK);
        return claimCheck == null ? record.value() : claimCheck.value();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Header header) {
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
