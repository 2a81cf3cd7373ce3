package io.faro.connectors.restore;

import io.faro.connectors.S3Calls;
import io.faro.connectors.archive.ArchiveLayout;
import io.faro.connectors.kafka.KafkaFactories;
import io.faro.core.FaroException;
import io.faro.core.config.S3Location;
import io.faro.core.json.JsonSerde;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.model.Chunk;
import io.faro.core.topic.Topics;
import io.faro.maintenance.replay.TopicReplay;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * {@code faro restore}: refills {@code faro.chunks} from the chunk archive after a Kafka cluster was lost, so that
 * {@code faro reembed} (or the sinks, from a re-embedded {@code faro.embeddings}) rebuild every store.
 *
 * <p>It reads what the topic holds first, then the archive in listing order, {@code FARO_ARCHIVE_CONCURRENCY}
 * objects at a time, one document's folder after the other, and writes each archived chunk the topic lacks or
 * holds otherwise, byte for byte as the archive has it. So it is idempotent: run twice, the second run writes
 * nothing, and the topic's content is the same. It adds and never deletes: a chunk the topic has and the archive
 * has not stays. Of a document whose folder holds chunks of several versions (tombstones compaction removed before
 * the archive saw them) only the latest version is restored. An object that is no chunk of the layout is skipped
 * and counted. S3's transient failures (throttling, 5xx, timeouts) are retried with a backoff, for up to five minutes
 * a call; anything else, and a Kafka failure, stops the restore with the reason. Running it again goes on where it
 * stopped, since what is in the topic is not written again.
 */
public final class ChunkRestore {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkRestore.class);
    private static final Deserializer<Chunk> CHUNKS = JsonSerde.of(Chunk.class).deserializer();
    private static final long REPORT_EVERY_NANOS = 1_000_000_000L;
    /** How long one S3 call may keep failing transiently (throttling, 5xx) before the restore stops. */
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    /** How far a restore has come; {@code done} on the last report. */
    public record Progress(long objects, long written, long present, long stale, long skipped, double objectsPerSecond,
                           boolean done) {
    }

    private final KafkaSettings kafka;
    private final S3Client s3;
    private final ArchiveLayout layout;
    private final int concurrency;
    private final Consumer<Progress> progress;
    private final Consumer<TopicReplay.Progress> reading;

    /**
     * @param progress told about once a second, and at the end
     * @param reading  told how the reading of {@code faro.chunks} goes, before the restore proper
     */
    public ChunkRestore(KafkaSettings kafka, S3Client s3, S3Location archive, int concurrency,
                        Consumer<Progress> progress, Consumer<TopicReplay.Progress> reading) {
        this.kafka = kafka;
        this.s3 = s3;
        this.layout = new ArchiveLayout(archive);
        this.concurrency = concurrency;
        this.progress = progress;
        this.reading = reading;
    }

    /** Restores; returns the last progress, {@code done}. */
    public Progress restore() {
        Map<String, Long> present = TopicDigests.read(kafka, Topics.CHUNKS.name(), reading);
        DefaultKafkaProducerFactory<String, byte[]> producers = KafkaFactories.idempotent(kafka, Map.of(),
                new StringSerializer(), new ByteArraySerializer());
        ExecutorService fetches = Executors.newFixedThreadPool(concurrency,
                Thread.ofVirtual().name("faro-restore-s3-", 0).factory());
        try {
            Run run = new Run(present, new KafkaTemplate<>(producers));
            run.readArchive(fetches);
            return run.finish();
        } finally {
            fetches.shutdownNow();
            producers.destroy();
        }
    }

    /** One archived object, read. */
    private record Fetched(String key, byte[] bytes) {
    }

    /**
     * The archive's keys in S3's order, a page at a time; a page S3 fails transiently is asked for again (the SDK's
     * paginator would start over).
     */
    private final class Listing {

        private final Deque<String> keys = new ArrayDeque<>();
        private String continuation;
        private boolean last;

        boolean hasNext() {
            while (keys.isEmpty() && !last) {
                String token = continuation;
                ListObjectsV2Response page = S3Calls.retrying(() -> s3.listObjectsV2(b -> b.bucket(layout.bucket())
                        .prefix(layout.root()).continuationToken(token)), PATIENCE);
                page.contents().forEach(object -> keys.add(object.key()));
                continuation = page.nextContinuationToken();
                last = !Boolean.TRUE.equals(page.isTruncated());
            }
            return !keys.isEmpty();
        }

        String next() {
            return keys.poll();
        }
    }

    /** The state of one restore. */
    private final class Run {

        private final Map<String, Long> present;
        private final KafkaTemplate<String, byte[]> chunks;
        private final AtomicReference<Throwable> sendFailure = new AtomicReference<>();
        private final AtomicLong written = new AtomicLong();
        private final long started = System.nanoTime();
        private long objects;
        private long alreadyPresent;
        private long stale;
        private long skipped;
        private long lastReport = started;

        Run(Map<String, Long> present, KafkaTemplate<String, byte[]> chunks) {
            this.present = present;
            this.chunks = chunks;
        }

        /** Lists the archive and reads its objects, {@code concurrency} at a time, handing on one folder at a time. */
        void readArchive(ExecutorService fetches) {
            Listing listing = new Listing();
            Deque<Future<Fetched>> window = new ArrayDeque<>();
            List<Fetched> folder = new ArrayList<>();
            while (hasNext(listing) || !window.isEmpty()) {
                while (window.size() < concurrency && hasNext(listing)) {
                    String key = listing.next();
                    window.add(fetches.submit(() -> fetch(key)));
                }
                Fetched fetched = await(window.poll());
                if (!folder.isEmpty() && !ArchiveLayout.folderOf(folder.getFirst().key())
                        .equals(ArchiveLayout.folderOf(fetched.key()))) {
                    restoreDocument(folder);
                    folder.clear();
                }
                folder.add(fetched);
                objects++;
                report(false);
            }
            restoreDocument(folder);
        }

        private boolean hasNext(Listing listing) {
            try {
                return listing.hasNext();
            } catch (SdkException e) {
                throw new FaroException("cannot list the archive " + layout.archive() + " after " + objects
                        + " objects: " + S3Calls.reason(e) + ". Run faro restore again: it writes only what is missing",
                        e);
            }
        }

        private Fetched fetch(String key) {
            try {
                return new Fetched(key, S3Calls.retrying(() -> s3.getObjectAsBytes(b -> b.bucket(layout.bucket())
                        .key(key)).asByteArray(), PATIENCE));
            } catch (SdkException e) {
                throw new FaroException("cannot read s3://" + layout.bucket() + "/" + key + ": " + S3Calls.reason(e)
                        + ". Run faro restore again: it writes only what is missing", e);
            }
        }

        private Fetched await(Future<Fetched> future) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FaroException("the restore was interrupted after " + objects + " objects", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof FaroException faro ? faro
                        : new FaroException("reading the archive failed: " + e.getCause(), e.getCause());
            }
        }

        /** Writes the chunks of one document's folder that the topic lacks, of its latest version only. */
        private void restoreDocument(List<Fetched> folder) {
            List<Fetched> readable = new ArrayList<>(folder.size());
            List<Chunk> parsed = new ArrayList<>(folder.size());
            for (Fetched fetched : folder) {
                Optional<Chunk> chunk = chunkOf(fetched);
                if (chunk.isEmpty()) {
                    skipped++;
                } else {
                    readable.add(fetched);
                    parsed.add(chunk.get());
                }
            }
            long latest = parsed.stream().mapToLong(Chunk::docVersion).max().orElse(Long.MIN_VALUE);
            for (int i = 0; i < readable.size(); i++) {
                Chunk chunk = parsed.get(i);
                byte[] bytes = readable.get(i).bytes();
                if (chunk.docVersion() < latest) {
                    stale++;
                } else if (Long.valueOf(TopicDigests.digest(bytes)).equals(present.get(chunk.chunkId()))) {
                    alreadyPresent++;
                } else {
                    write(chunk.chunkId(), bytes);
                }
            }
        }

        /** The chunk an object holds, if it is one that lies where the layout puts it. */
        private Optional<Chunk> chunkOf(Fetched fetched) {
            try {
                Chunk chunk = CHUNKS.deserialize(Topics.CHUNKS.name(), fetched.bytes());
                if (layout.objectKey(chunk.chunkId()).equals(fetched.key())) {
                    return Optional.of(chunk);
                }
                LOG.warn("s3://{}/{} holds chunk {}, which belongs elsewhere in the archive; skipped", layout.bucket(),
                        fetched.key(), chunk.chunkId());
            } catch (SerializationException | IllegalArgumentException e) {
                LOG.warn("s3://{}/{} is no chunk of the archive, skipped: {}", layout.bucket(), fetched.key(),
                        e.getMessage());
            }
            return Optional.empty();
        }

        private void write(String chunkId, byte[] bytes) {
            failIfSendFailed();
            chunks.send(Topics.CHUNKS.name(), chunkId, bytes).whenComplete((result, e) -> {
                if (e == null) {
                    written.incrementAndGet();
                } else {
                    sendFailure.compareAndSet(null, e);
                }
            });
        }

        private void failIfSendFailed() {
            Throwable failure = sendFailure.get();
            if (failure != null) {
                throw new FaroException("cannot write to " + Topics.CHUNKS.name() + ": " + failure.getMessage()
                        + ". Run faro restore again: it writes only what is missing", failure);
            }
        }

        Progress finish() {
            chunks.flush();
            failIfSendFailed();
            return report(true);
        }

        private Progress report(boolean done) {
            long now = System.nanoTime();
            Progress current = new Progress(objects, written.get(), alreadyPresent, stale, skipped,
                    objects / Math.max(1e-9, (now - started) / 1e9), done);
            if (done || now - lastReport >= REPORT_EVERY_NANOS) {
                lastReport = now;
                progress.accept(current);
            }
            return current;
        }
    }
}
