package io.faro.topology.runtime;

import io.faro.core.config.FaroConfig;
import io.faro.core.kafka.KafkaIds;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;

/** Settings every FARO Kafka Streams application shares. */
public final class StreamsSettings {

    private static final long STATESTORE_CACHE_BYTES = 16L * 1024 * 1024;

    private StreamsSettings() {
    }

    public static Properties common(FaroConfig config, String applicationId) {
        Properties props = new Properties();
        props.putAll(config.kafka().clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.home().resolve("streams").toString());
        // Only the batch buffers are cached (BatchBuffer): an entry handled before the next commit then never
        // reaches the changelog. Enough for a sink's largest buffer (4 batches of 256) of 384-value vectors.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, STATESTORE_CACHE_BYTES);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The failure policy, explicit. Bad input never reaches these handlers: sources read bytes and the
        // processors send records that break the contract to faro.dlq themselves. What does reach them is a
        // fault of FARO's or of Kafka's, so the task fails, its uncommitted work is redone, and the
        // uncaught-exception handler replaces the stream thread; nothing is skipped.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailProcessingExceptionHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DefaultProductionExceptionHandler.class);
        // Static membership: a restarted instance takes its partitions back at once instead of waiting a
        // session timeout for its former self, and a clean close removes it from the group.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                KafkaIds.groupInstanceId(applicationId, config.kafka().instanceId()));
        return props;
    }
}
