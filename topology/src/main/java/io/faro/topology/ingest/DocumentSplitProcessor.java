package io.faro.topology.ingest;

import io.faro.core.access.DocumentKey;
import io.faro.core.document.DocumentParser;
import io.faro.core.document.InvalidDocumentException;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Chunk;
import io.faro.core.model.Document;
import io.faro.documents.ExtractedText;
import io.faro.documents.ExtractionException;
import io.faro.topology.dlq.DeadLetterCounter;
import io.faro.topology.dlq.DeadLetterReason;
import io.faro.topology.dlq.DeadLetters;
import io.faro.topology.embed.PendingChunk;
import io.faro.topology.split.ChunkSplitter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each document's chunks in step with its latest version. A new version is parsed, its text extracted
 * (from its bytes, for a PDF or an Office file; within the extraction's time and size limits) and split;
 * its chunks go to {@code faro.chunks} and on to embedding, and the chunks the previous version had
 * but this one has not are deleted. A tombstone deletes every chunk of the document. A version older
 * than the one already handled is ignored. A record that breaks the contract goes to the dead-letter
 * topic; the next one is processed. Documents are known by their {@link DocumentKey key} (the record key), so
 * the same id in two tenants has two states and two sets of chunks.
 */
final class DocumentSplitProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentSplitProcessor.class);

    private final DocumentParser parser;
    private final DocumentParser fetchedParser;
    private final ExtractionStep extraction;
    private final ChunkSplitter splitter;
    private final String stateStore;
    private final Counter chunked;
    private final Counter rejected;
    private final Counter deleted;
    private final Counter stale;
    private final Counter chunks;
    private final DeadLetterCounter deadLetters;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, DocState> states;

    /** {@code fetchedParser}: for documents the claim-check stage fetched, whose bytes may be larger than a record. */
    DocumentSplitProcessor(DocumentParser parser, DocumentParser fetchedParser, ExtractionStep extraction,
                           ChunkSplitter splitter, String stateStore, MeterRegistry meters) {
        this.parser = parser;
        this.fetchedParser = fetchedParser;
        this.extraction = extraction;
        this.splitter = splitter;
        this.stateStore = stateStore;
        this.chunked = meters.counter(MetricNames.DOCUMENTS, MetricNames.TAG_OUTCOME, "chunked");
        this.rejected = meters.counter(MetricNames.DOCUMENTS, MetricNames.TAG_OUTCOME, "rejected");
        this.deleted = meters.counter(MetricNames.DOCUMENTS, MetricNames.TAG_OUTCOME, "deleted");
        this.stale = meters.counter(MetricNames.DOCUMENTS, MetricNames.TAG_OUTCOME, "stale");
        this.chunks = meters.counter(MetricNames.CHUNKS);
        this.deadLetters = new DeadLetterCounter(meters)
                .expect(DeadLetters.STAGE_PARSE, DeadLetterReason.TOO_LARGE, DeadLetterReason.INVALID_JSON,
                        DeadLetterReason.CONTRACT)
                .expect(DeadLetters.STAGE_EXTRACT, DeadLetterReason.ENCRYPTED, DeadLetterReason.CORRUPT,
                        DeadLetterReason.NO_TEXT, DeadLetterReason.UNSUPPORTED_TYPE, DeadLetterReason.EXPANDS_TOO_FAR,
                        DeadLetterReason.PARSE_TIMEOUT)
                .expect(DeadLetters.STAGE_SPLIT, DeadLetterReason.UNSPLITTABLE);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.states = context.getStateStore(stateStore);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        // the claim-check stage may pass a record on later, so its position travels with it
        long version = Provenance.version(record, context);
        if (record.value() == null) {
            delete(record, version);
            return;
        }
        Document document;
        List<Chunk> split;
        DocState previous;
        String stage = DeadLetters.STAGE_PARSE;
        try {
            document = (Provenance.fetched(record) ? fetchedParser : parser).parse(record.key(), record.value());
            previous = states.get(document.key());
            if (previous != null && previous.version() >= version) {
                stale.increment(); // before extraction, which may take seconds for a large PDF
                return;
            }
            stage = DeadLetters.STAGE_EXTRACT;
            ExtractedText text = extraction.extract(document);
            stage = DeadLetters.STAGE_SPLIT;
            split = splitter.split(document, text, version);
        } catch (InvalidDocumentException e) {
            deadLetter(record, stage, DeadLetterReason.of(e), e);
            return;
        } catch (ExtractionException e) {
            deadLetter(record, stage, DeadLetterReason.of(e), e);
            return;
        } catch (IllegalArgumentException e) {
            deadLetter(record, stage, stage.equals(DeadLetters.STAGE_SPLIT) ? DeadLetterReason.UNSPLITTABLE
                    : DeadLetterReason.CONTRACT, e);
            return;
        }
        Set<String> current = new HashSet<>();
        for (Chunk chunk : split) {
            current.add(chunk.chunkId());
            context.forward(new Record<Object, Object>(chunk.chunkId(), chunk, record.timestamp()),
                    IngestTopology.CHUNKS_SINK);
            context.forward(new Record<Object, Object>(chunk.chunkId(), PendingChunk.upsert(chunk, record.timestamp()),
                    record.timestamp()), IngestTopology.EMBED_PROCESSOR);
        }
        if (previous != null) {
            previous.chunkIds().stream().filter(id -> !current.contains(id))
                    .forEach(id -> forwardDelete(id, record.timestamp()));
        }
        states.put(document.key(), new DocState(version, split.stream().map(Chunk::chunkId).toList()));
        chunked.increment();
        chunks.increment(split.size());
    }

    private void delete(Record<byte[], byte[]> record, long version) {
        if (record.key() == null) {
            deadLetter(record, DeadLetters.STAGE_PARSE, DeadLetterReason.CONTRACT,
                    new InvalidDocumentException("a tombstone needs the document id as key"));
            return;
        }
        String docId = new String(record.key(), StandardCharsets.UTF_8);
        try {
            DocumentKey.parse(docId);
        } catch (IllegalArgumentException e) {
            deadLetter(record, DeadLetters.STAGE_PARSE, DeadLetterReason.CONTRACT,
                    new InvalidDocumentException("a tombstone's key is no document key: " + e.getMessage()));
            return;
        }
        DocState previous = states.get(docId);
        if (previous != null && previous.version() >= version) {
            stale.increment();
            return;
        }
        if (previous != null) {
            previous.chunkIds().forEach(id -> forwardDelete(id, record.timestamp()));
        }
        states.put(docId, new DocState(version, List.of()));
        deleted.increment();
    }

    private void forwardDelete(String chunkId, long timestamp) {
        context.forward(new Record<Object, Object>(chunkId, null, timestamp), IngestTopology.CHUNKS_SINK);
        context.forward(new Record<Object, Object>(chunkId, PendingChunk.delete(chunkId, timestamp), timestamp),
                IngestTopology.EMBED_PROCESSOR);
    }

    private void deadLetter(Record<byte[], byte[]> record, String stage, DeadLetterReason reason, RuntimeException e) {
        LOG.warn("document rejected at {} ({}), sent to the dead-letter topic", stage, e.getMessage());
        rejected.increment();
        deadLetters.count(stage, reason);
        // a fetched document is dead-lettered as published: its claim check, not the bytes fetched for it
        context.forward(new Record<Object, Object>(record.key(), Provenance.publishedValue(record), record.timestamp(),
                DeadLetters.headers(stage, e, Provenance.source(record, context))), IngestTopology.DLQ_SINK);
    }
}
