package io.faro.core.kafka;

/** Who owns FARO's topics. */
public enum TopicsMode {
    /** FARO creates missing topics and sets the configs it relies on ({@code faro up}, a cluster of your own). */
    CREATE,
    /**
     * The platform owns them (Strimzi's KafkaTopics): FARO only checks that each exists with the settings it
     * relies on, changes nothing, and refuses to start when one is missing or wrong.
     */
    VERIFY
}
