package io.faro.maintenance.reconcile;

import io.faro.core.model.EmbeddedChunk;
import io.faro.maintenance.versions.VersionLog;
import java.util.List;
import java.util.function.Consumer;

/**
 * The system of record as one reconciliation sees it: every record of {@code faro.embeddings} up to the
 * end it had when it was read, as versions on local disk, and the records themselves fetched again only
 * when a repair picks them. {@link io.faro.maintenance.replay.EmbeddingsSnapshot} reads Kafka; the seam
 * lets reconciliation be tested without a broker.
 */
public interface LiveRecords extends AutoCloseable {

    /** Every record in topic order per partition, with its position. */
    VersionLog versions();

    /** Marks the record at this entry's position to be fetched by {@link #fetchPicked}. */
    void pick(VersionLog.Entry entry);

    /** Hands the picked records on, at most {@code batchSize} at a time, then forgets the picks. */
    void fetchPicked(int batchSize, Consumer<List<EmbeddedChunk>> batch);

    @Override
    void close();
}
