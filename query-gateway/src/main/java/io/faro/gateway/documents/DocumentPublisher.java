package io.faro.gateway.documents;

/**
 * Publishes documents and tombstones to {@code faro.documents}, returning once the record is durably
 * there (every in-sync replica has it), or failing with a {@link PublishException} that says why it is not.
 */
public interface DocumentPublisher extends AutoCloseable {

    /** Where a record landed: its partition and offset (the document version it becomes). */
    record Published(String topic, int partition, long offset) {
    }

    Published publish(String id, byte[] value);

    /** Publishes the tombstone of {@code id}, which deletes the document from every store. */
    Published delete(String id);

    @Override
    void close();
}
