package io.faro.connectors.kafka;

import io.faro.core.kafka.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.DefaultTransactionIdSuffixStrategy;

/**
 * spring-kafka's producer and consumer factories for the connectors, with every Kafka client property taken from
 * {@link KafkaSettings#clientProperties} (bootstrap servers, TLS, SCRAM, {@code FARO_KAFKA_PROPERTIES_FILE}), so a
 * connector reaches a secured cluster exactly as the components do. No Spring context is involved: the
 * factories and the templates and containers built on them are plain objects, closed by their owner.
 */
public final class KafkaFactories {

    private KafkaFactories() {
    }

    /**
     * A producer factory whose producers all use the one transactional id {@code prefix + "0"}: its cache of
     * suffixes holds one, so a producer that failed is replaced by one with the same id. A second process with
     * the same prefix fences the first when its producer starts.
     */
    public static <K, V> DefaultKafkaProducerFactory<K, V> transactional(KafkaSettings kafka, String prefix,
                                                                        Serializer<K> keys, Serializer<V> values) {
        DefaultKafkaProducerFactory<K, V> factory = new DefaultKafkaProducerFactory<>(producerProperties(kafka, Map.of()),
                keys, values);
        factory.setTransactionIdPrefix(prefix);
        factory.setTransactionIdSuffixStrategy(new DefaultTransactionIdSuffixStrategy(1));
        return factory;
    }

    /** A producer factory of idempotent producers, without transactions; {@code specific} on top of FARO's properties. */
    public static <K, V> DefaultKafkaProducerFactory<K, V> idempotent(KafkaSettings kafka, Map<String, Object> specific,
                                                                     Serializer<K> keys, Serializer<V> values) {
        return new DefaultKafkaProducerFactory<>(producerProperties(kafka, specific), keys, values);
    }

    /**
     * A consumer factory that reads committed records only and commits nothing by itself (the listener container
     * commits, after the work the records stand for is done).
     */
    public static <K, V> DefaultKafkaConsumerFactory<K, V> consumers(KafkaSettings kafka, Map<String, Object> specific,
                                                                    Deserializer<K> keys, Deserializer<V> values) {
        Map<String, Object> props = new HashMap<>(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        props.putAll(specific);
        return new DefaultKafkaConsumerFactory<>(kafka.clientProperties(props), keys, values);
    }

    private static Map<String, Object> producerProperties(KafkaSettings kafka, Map<String, Object> specific) {
        Map<String, Object> props = new HashMap<>(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        props.putAll(specific);
        return kafka.clientProperties(props);
    }
}
