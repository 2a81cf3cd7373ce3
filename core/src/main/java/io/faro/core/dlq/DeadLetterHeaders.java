package io.faro.core.dlq;

/**
 * The headers of a record on {@code faro.dlq}: where the rejected record came from, which stage refused it and
 * why. Kafka Streams stages and the connectors write the same ones, so one reader understands every dead letter.
 */
public final class DeadLetterHeaders {

    public static final String STAGE = "faro.error.stage";
    public static final String REASON = "faro.error.reason";
    public static final String EXCEPTION = "faro.error.exception";
    public static final String FAILED_AT = "faro.error.timestamp";
    public static final String SOURCE_TOPIC = "faro.source.topic";
    public static final String SOURCE_PARTITION = "faro.source.partition";
    public static final String SOURCE_OFFSET = "faro.source.offset";

    private DeadLetterHeaders() {
    }
}
