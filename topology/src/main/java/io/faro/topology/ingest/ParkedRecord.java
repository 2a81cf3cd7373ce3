package io.faro.topology.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A record of {@code faro.documents} the claim-check stage holds back: a claim check whose bytes are being fetched,
 * or a record queued behind one of the same document. Kept in a changelogged store, so the offset that brought it
 * may be committed while it waits: after a crash it is restored, and its fetch starts again.
 *
 * @param key        the record key (the document id), or null
 * @param value      the record value, or null for a tombstone
 * @param claimCheck whether the value is a claim check whose bytes must be fetched before it goes on
 */
record ParkedRecord(byte[] key, byte[] value, long timestamp, List<ParkedHeader> headers, String topic,
                    int partition, long offset, boolean claimCheck) {

    record ParkedHeader(String key, byte[] value) {
    }

    ParkedRecord {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    static ParkedRecord of(Record<byte[], byte[]> record, Provenance.Source source, boolean claimCheck) {
        List<ParkedHeader> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new ParkedHeader(header.key(), header.value()));
        }
        return new ParkedRecord(record.key(), record.value(), record.timestamp(), headers, source.topic(),
                source.partition(), source.offset(), claimCheck);
    }

    /** The document id, or null for a record without a key. */
    String documentId() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    Provenance.Source source() {
        return new Provenance.Source(topic, partition, offset);
    }

    Headers recordHeaders() {
        Headers result = new RecordHeaders();
        headers.forEach(h -> result.add(new RecordHeader(h.key(), h.value())));
        return result;
    }

    /** The store key: the position in the topic, so that the store iterates in the order the records came. */
    String position() {
        return position(partition, offset);
    }

    static String position(int partition, long offset) {
        return String.format("%05d-%020d", partition, offset);
    }
}
