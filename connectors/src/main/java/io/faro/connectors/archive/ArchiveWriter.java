package io.faro.connectors.archive;

import io.faro.connectors.S3Calls;
import io.faro.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Writes a batch of {@code faro.chunks} records to the archive, {@code FARO_ARCHIVE_CONCURRENCY} S3 requests at a
 * time, and returns only when S3 has every one of them: the container commits the batch's offsets after that,
 * never before. Of several records of one chunk in a batch only the last is written (it is what the topic keeps).
 * Puts and deletes are idempotent, so a batch S3 failed in part is simply written again, whole, after a backoff
 * ({@link ArchiveWriteException}). A record that is no chunk is reported with its place in the batch, after the
 * records before it were written, so that the error handler commits those and dead-letters that one alone.
 */
final class ArchiveWriter implements BatchMessageListener<byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveWriter.class);

    private final S3Client s3;
    private final ArchiveLayout layout;
    private final ExecutorService requests;
    private final Counter puts;
    private final Counter deletes;
    private final Counter failures;

    ArchiveWriter(S3Client s3, ArchiveLayout layout, ExecutorService requests, MeterRegistry meters) {
        this.s3 = s3;
        this.layout = layout;
        this.requests = requests;
        this.puts = meters.counter(MetricNames.ARCHIVE_WRITES, MetricNames.TAG_OPERATION, "put");
        this.deletes = meters.counter(MetricNames.ARCHIVE_WRITES, MetricNames.TAG_OPERATION, "delete");
        this.failures = meters.counter(MetricNames.ARCHIVE_WRITE_FAILURES);
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, ArchiveWrite> writes = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ArchiveWrite write;
            try {
                write = ArchiveWrite.of(layout, records.get(i));
            } catch (InvalidChunkRecordException e) {
                apply(writes.values());
                throw new BatchListenerFailedException(e.getMessage(), e, i);
            }
            writes.put(write.key(), write);
        }
        apply(writes.values());
    }

    /** Writes them all, in parallel, and waits for every one, so none is in flight when the batch is tried again. */
    private void apply(Collection<ArchiveWrite> writes) {
        List<Future<?>> pending = new ArrayList<>(writes.size());
        for (ArchiveWrite write : writes) {
            pending.add(requests.submit(() -> write(write)));
        }
        int failed = 0;
        Throwable first = null;
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.forEach(f -> f.cancel(true));
                throw new ArchiveWriteException("interrupted while writing the archive", e);
            } catch (ExecutionException e) {
                failed++;
                first = first == null ? e.getCause() : first;
            }
        }
        if (failed > 0) {
            failures.increment();
            String reason = S3Calls.reason(first);
            LOG.warn("S3 refused {} of {} archive writes to s3://{}/ ({}); the batch is written again after a backoff",
                    failed, writes.size(), layout.bucket(), reason);
            throw new ArchiveWriteException(failed + " of " + writes.size() + " archive writes failed: " + reason, first);
        }
    }

    private void write(ArchiveWrite write) {
        switch (write) {
            case ArchiveWrite.Put put -> {
                s3.putObject(PutObjectRequest.builder().bucket(layout.bucket()).key(put.key())
                        .contentType("application/json").build(), RequestBody.fromBytes(put.json()));
                puts.increment();
            }
            case ArchiveWrite.Delete delete -> {
                s3.deleteObject(b -> b.bucket(layout.bucket()).key(delete.key()));
                deletes.increment();
            }
        }
    }
}
