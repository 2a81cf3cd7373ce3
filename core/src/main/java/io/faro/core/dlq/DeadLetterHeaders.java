package io.faro.core.dlq;

/**
 * The headers of a record on {@code faro.dlq}: which stage refused it, why, and where it came from. Kafka Streams
 * stages and the connectors write the same ones; the gateway reads them to tell a caller why a document was
 * rejected.
 */
public final class DeadLetterHeaders {

    /** The stage that refused the record: {@code fetch}, {@code parse}, {@code extract}, {@code split}, {@code embed}, {@code sink-<store>}, {@code archive}. */
    public static final String STAGE = "faro.error.stage";
    /** What was wrong, in a sentence for the producer. */
    public static final String REASON = "faro.error.reason";
    public static final String EXCEPTION = "faro.error.exception";
    /** When it was rejected, ISO-8601. */
    public static final String FAILED_AT = "faro.error.timestamp";
    /** The topic, partition and offset of the rejected record, when it was read from one. */
    public static final String SOURCE_TOPIC = "faro.source.topic";
    public static final String SOURCE_PARTITION = "faro.source.partition";
    public static final String SOURCE_OFFSET = "faro.source.offset";

    private DeadLetterHeaders() {
    }
}
