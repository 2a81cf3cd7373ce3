package io.faro.maintenance.replay;

import java.util.Map;

/**
 * A chunk-keyed topic read in passes: each pass reads on from where the last one stopped to the end of
 * the topic as it is when the pass starts, and hands the records on in batches. {@link TopicReplay}
 * reads Kafka; the seam lets the sequences built on a replay be tested without a broker.
 */
public interface Replay extends AutoCloseable {

    /** Takes one batch: key to value, null for a tombstone, in the order the keys were first seen. */
    @FunctionalInterface
    interface BatchHandler {
        void apply(Map<String, byte[]> batch);
    }

    /** Opens a replay of a topic from its start, handing on batches of at most {@code batchSize} records. */
    @FunctionalInterface
    interface Opener {
        Replay open(String topic, int batchSize);
    }

    /** Reads to the end of the topic as it is now; returns the records read. */
    long pass(String phase, BatchHandler handler);

    /**
     * Passes until one reads fewer than {@code quietBelow} records, or {@code maxPasses} were made: brings a
     * copy close to the live stream under steady traffic. Returns the records read.
     */
    default long passUntilQuiet(String phase, long quietBelow, int maxPasses, BatchHandler handler) {
        long records = 0;
        for (int i = 0; i < maxPasses; i++) {
            long read = pass(phase, handler);
            records += read;
            if (read < quietBelow) {
                break;
            }
        }
        return records;
    }

    @Override
    void close();
}
