package io.faro.topology.ingest;

import io.faro.core.config.FaroConfig;
import io.faro.core.document.ContentRef;
import io.faro.core.document.ContentUnavailableException;
import io.faro.core.document.InvalidDocumentException;
import io.faro.topology.dlq.DeadLetterReason;
import io.faro.topology.dlq.DeadLetters;
import io.faro.topology.fetch.ClaimChecks;
import io.faro.topology.fetch.FetchOutcome;
import io.faro.topology.fetch.FetchPool;
import io.faro.topology.runtime.WorkPunctuation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the bytes of claim-check documents ({@code content_ref}) before they are parsed, without ever making the
 * stream thread wait for S3:
 * <ul>
 *   <li>A claim check is parked in a changelogged store and fetched on the {@link FetchPool}'s threads. The stream
 *       thread passes completed fetches on, as inline documents, when it next processes a record or punctuates.
 *       Its offset may be committed meanwhile: the parked record survives a crash, and its fetch starts again.</li>
 *   <li>A transient failure is retried by the pool, with backoff, for as long as it lasts. A permanent one (no such
 *       object, access denied, a changed checksum, too large) sends the claim check to the dead-letter topic.</li>
 *   <li>Records of a document that has a fetch pending wait behind it, in order, so no version overtakes an
 *       earlier one. Records of other documents pass straight on: a slow S3 holds back only its own documents.</li>
 * </ul>
 * Without S3 configured, a claim check is dead-lettered with a reason that says what to set.
 */
final class ClaimCheckProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimCheckProcessor.class);
    /** How soon a completed fetch goes on when no record comes to carry it. */
    static final Duration PUNCTUATION = Duration.ofMillis(100);

    /** Where the stage keeps what it holds, and where it sends records on. */
    record Wiring(String parkedStore, String queueStore, String next, String dlq) {
    }

    private record Completion(String position, FetchOutcome outcome) {
    }

    private final Optional<FetchPool> pool;
    private final int maxDocumentBytes;
    private final Wiring wiring;
    private final ClaimCheckMetrics metrics;
    /** Fetches this task started, by position; only the stream thread touches it. */
    private final Map<String, FetchPool.Fetch> running = new HashMap<>();
    /** Outcomes the pool's threads hand to the stream thread. */
    private final Queue<Completion> completed = new ConcurrentLinkedQueue<>();
    /** A claim check at the head of its document found no free slot: look again when one frees up. */
    private boolean starved;
    private long held;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<String, ParkedRecord> parked;
    private KeyValueStore<String, DocumentQueue> queues;
    /** Passes on completed fetches while records are held, and stops when none is. */
    private WorkPunctuation passOn;

    ClaimCheckProcessor(Optional<FetchPool> pool, int maxDocumentBytes, Wiring wiring, ClaimCheckMetrics metrics) {
        this.pool = pool;
        this.maxDocumentBytes = maxDocumentBytes;
        this.wiring = wiring;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.parked = context.getStateStore(wiring.parkedStore());
        this.queues = context.getStateStore(wiring.queueStore());
        this.passOn = new WorkPunctuation(context, PUNCTUATION, now -> {
            passOnCompleted();
            return held > 0;
        });
        long restored = 0;
        try (KeyValueIterator<String, ParkedRecord> all = parked.all()) {
            while (all.hasNext()) {
                all.next();
                restored++;
            }
        }
        hold(restored);
        if (restored > 0) {
            LOG.info("{} records held for claim checks restored; fetching again", restored);
            starved = true; // restored claim checks: none of them is being fetched yet
            startWaiting();
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        passOnCompleted();
        Provenance.Source source = Provenance.Source.of(context.recordMetadata().orElseThrow());
        if (record.key() == null) {
            // keyless records land on any partition, where the offsets that order a document's versions mean nothing
            deadLetter(ParkedRecord.of(record, source, false), DeadLetters.STAGE_PARSE, DeadLetterReason.MISSING_KEY,
                    new InvalidDocumentException(
                    "the record has no key: publish each document keyed by its id (the document contract), so that"
                            + " its versions reach one partition in order"));
            return;
        }
        Optional<ContentRef> ref;
        try {
            ref = record.value() == null || record.value().length > maxDocumentBytes ? Optional.empty()
                    : ClaimChecks.find(record.value());
        } catch (InvalidDocumentException e) {
            deadLetter(ParkedRecord.of(record, source, false), DeadLetterReason.CONTRACT, e);
            return;
        }
        if (ref.isPresent() && pool.isEmpty()) {
            deadLetter(ParkedRecord.of(record, source, true), DeadLetterReason.NO_S3, new ContentUnavailableException(
                    ContentUnavailableException.Kind.PERMANENT, "the document is a claim check (" + ref.get()
                    + ") but this ingest has no S3: set " + FaroConfig.S3_BUCKET + " (and " + FaroConfig.S3_REGION
                    + ", or " + FaroConfig.S3_ENDPOINT + " for an S3-compatible server) and credentials the AWS SDK"
                    + " finds, then publish it again", null));
            return;
        }
        String documentId = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        DocumentQueue queue = documentId == null ? null : queues.get(documentId);
        if (ref.isEmpty() && queue == null) {
            context.forward(record.withHeaders(Provenance.stamp(record.headers(), source)), wiring.next());
            return;
        }
        ParkedRecord parkedRecord = ParkedRecord.of(record, source, ref.isPresent());
        String position = parkedRecord.position();
        parked.put(position, parkedRecord);
        hold(1);
        if (documentId != null) {
            queues.put(documentId, queue == null ? DocumentQueue.of(position) : queue.with(position));
        }
        if (ref.isPresent() && queue == null) {
            start(position, ref.get());
        }
    }

    /** Passes on the outcomes of finished fetches, then starts fetches that waited for a slot. */
    private void passOnCompleted() {
        Completion done;
        while ((done = completed.poll()) != null) {
            FetchPool.Fetch fetch = running.remove(done.position());
            if (fetch == null) {
                continue; // cancelled before it finished
            }
            ParkedRecord record = parked.get(done.position());
            try {
                if (record != null) {
                    passOn(record, done.outcome());
                }
            } finally {
                fetch.release();
            }
            if (record != null) {
                release(done.position());
                advance(record.documentId());
            }
        }
        if (starved && pool.map(FetchPool::freeSlots).orElse(0) > 0) {
            startWaiting();
        }
    }

    private void passOn(ParkedRecord record, FetchOutcome outcome) {
        switch (outcome) {
            case FetchOutcome.Fetched fetched -> context.forward(new Record<>(record.key(),
                    ClaimChecks.inline(record.value(), fetched.bytes()), record.timestamp(),
                    Provenance.stampFetched(record.recordHeaders(), record.source(), record.value())), wiring.next());
            case FetchOutcome.Failed failed ->
                    deadLetter(record, DeadLetterReason.CONTENT_UNAVAILABLE, failed.error());
        }
    }

    /**
     * The head of a document's queue is done: passes on the records behind it up to its next claim check, whose
     * fetch then starts.
     */
    private void advance(String documentId) {
        if (documentId == null) {
            return;
        }
        DocumentQueue queue = queues.get(documentId);
        if (queue == null) {
            return;
        }
        queue = queue.withoutHead();
        while (!queue.isEmpty()) {
            String position = queue.head();
            ParkedRecord next = parked.get(position);
            if (next != null && next.claimCheck()) {
                if (!running.containsKey(position)) {
                    start(position, ClaimChecks.find(next.value()).orElseThrow());
                }
                break;
            }
            if (next != null) {
                context.forward(new Record<>(next.key(), next.value(), next.timestamp(),
                        Provenance.stamp(next.recordHeaders(), next.source())), wiring.next());
                release(position);
            }
            queue = queue.withoutHead();
        }
        if (queue.isEmpty()) {
            queues.delete(documentId);
        } else {
            queues.put(documentId, queue);
        }
    }

    private void start(String position, ContentRef ref) {
        Optional<FetchPool.Fetch> fetch = pool.orElseThrow().tryStart(ref,
                outcome -> completed.add(new Completion(position, outcome)));
        fetch.ifPresentOrElse(started -> running.put(position, started), () -> starved = true);
    }

    /** Starts the claim checks at the head of their documents that are not being fetched, oldest first. */
    private void startWaiting() {
        starved = false;
        FetchPool fetches = pool.orElseThrow();
        try (KeyValueIterator<String, ParkedRecord> all = parked.all()) {
            while (all.hasNext() && !starved && fetches.freeSlots() > 0) {
                KeyValue<String, ParkedRecord> entry = all.next();
                if (entry.value.claimCheck() && !running.containsKey(entry.key) && isHead(entry.key, entry.value)) {
                    start(entry.key, ClaimChecks.find(entry.value.value()).orElseThrow());
                }
            }
            starved |= all.hasNext() && fetches.freeSlots() == 0;
        }
    }

    private boolean isHead(String position, ParkedRecord record) {
        String documentId = record.documentId();
        if (documentId == null) {
            return true;
        }
        DocumentQueue queue = queues.get(documentId);
        return queue != null && queue.head().equals(position);
    }

    private void release(String position) {
        parked.delete(position);
        hold(-1);
    }

    private void hold(long delta) {
        held += delta;
        metrics.waiting(delta);
        if (held > 0) {
            passOn.expect();
        }
    }

    private void deadLetter(ParkedRecord record, DeadLetterReason reason, RuntimeException e) {
        deadLetter(record, DeadLetters.STAGE_FETCH, reason, e);
    }

    private void deadLetter(ParkedRecord record, String stage, DeadLetterReason reason, RuntimeException e) {
        LOG.warn("document {} rejected at {} ({}), sent to the dead-letter topic", record.documentId(), stage,
                e.getMessage());
        metrics.deadLetters.count(stage, reason);
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(),
                DeadLetters.headers(stage, e, Optional.of(record.source()))), wiring.dlq());
    }

    @Override
    public void close() {
        running.values().forEach(FetchPool.Fetch::cancel);
        running.clear();
        completed.clear();
        metrics.waiting(-held);
        held = 0;
    }
}
