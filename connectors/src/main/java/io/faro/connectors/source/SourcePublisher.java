package io.faro.connectors.source;

import io.faro.core.json.JsonSerde;
import io.faro.core.topic.Topics;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes changes in one Kafka transaction each time: every document (or tombstone) on {@code faro.documents}
 * together with the object's new state on {@code faro.s3-source.state}. Either both are committed or neither is,
 * so a change is published exactly once however the source stops: what is committed is in the position a new
 * lister reads, what is not was never seen by a reader of committed records.
 */
final class SourcePublisher {

    /** The state topic's one partition: the lister is the member of the source's group assigned it. */
    static final int STATE_PARTITION = 0;
    private static final Serializer<ObjectState> STATES = JsonSerde.of(ObjectState.class).serializer();

    private final KafkaTemplate<String, byte[]> template;

    SourcePublisher(KafkaTemplate<String, byte[]> template) {
        this.template = template;
    }

    /**
     * Starts this process's transactional producer with the source's one transactional id, which fences any
     * producer of a former lister and completes (commits or aborts) a transaction it left open, so that the state
     * topic can be read to its true end afterwards.
     */
    void fence() {
        template.executeInTransaction(operations -> null);
    }

    /**
     * Publishes the changes and their states in one transaction, and returns when it is committed.
     *
     * @throws org.apache.kafka.common.KafkaException when it is not: nothing of it is visible to readers
     */
    void publish(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        String documents = Topics.DOCUMENTS.name();
        String state = Topics.S3_SOURCE_STATE.name();
        template.executeInTransaction(operations -> {
            for (Change change : changes) {
                switch (change) {
                    case Change.Upsert upsert -> {
                        operations.send(documents, upsert.documentId(), upsert.document());
                        operations.send(new ProducerRecord<>(state, STATE_PARTITION, upsert.uri(),
                                STATES.serialize(state, upsert.state())));
                    }
                    case Change.Delete delete -> {
                        operations.send(documents, delete.documentId(), null);
                        operations.send(new ProducerRecord<>(state, STATE_PARTITION, delete.uri(), null));
                    }
                }
            }
            return null;
        });
    }
}
