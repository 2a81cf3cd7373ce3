package io.faro.topology.ingest;

import io.faro.core.document.DocumentParser;
import io.faro.core.document.InvalidDocumentException;
import io.faro.core.metrics.MetricNames;
import io.faro.core.model.Chunk;
import io.faro.core.model.Document;
import io.faro.topology.dlq.DeadLetters;
import io.faro.topology.split.ChunkSplitter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a document record and splits it into chunks, which go both to {@code faro.chunks} and on
 * to embedding. A record that breaks the contract goes to the dead-letter topic; the next one is
 * processed.
 */
final class DocumentSplitProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentSplitProcessor.class);

    private final DocumentParser parser;
    private final ChunkSplitter splitter;
    private final Counter chunked;
    private final Counter rejected;
    private final Counter tombstones;
    private final Counter chunks;
    private ProcessorContext<Object, Object> context;

    DocumentSplitProcessor(DocumentParser parser, ChunkSplitter splitter, MeterRegistry meters) {
        this.parser = parser;
        this.splitter = splitter;
        this.chunked = meters.counter(MetricNames.DOCUMENTS, MetricNames.TAG_OUTCOME, "chunked");
        this.rejected = meters.counter(MetricNames.DOCUMENTS, MetricNames.TAG_OUTCOME, "rejected");
        this.tombstones = meters.counter(MetricNames.DOCUMENTS, MetricNames.TAG_OUTCOME, "tombstone");
        this.chunks = meters.counter(MetricNames.CHUNKS);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            // Deleting a document's chunks needs the document's chunk ids, which the life-cycle state
            // store will remember; until then a tombstone is counted and not acted on.
            tombstones.increment();
            return;
        }
        Document document;
        List<Chunk> split;
        String stage = DeadLetters.STAGE_PARSE;
        try {
            document = parser.parse(record.key(), record.value());
            stage = DeadLetters.STAGE_SPLIT;
            split = splitter.split(document, context.recordMetadata().map(RecordMetadata::offset).orElse(0L));
        } catch (InvalidDocumentException | IllegalArgumentException e) {
            deadLetter(record, stage, e);
            return;
        }
        for (Chunk chunk : split) {
            Record<Object, Object> out = new Record<>(chunk.chunkId(), chunk, record.timestamp());
            context.forward(out, IngestTopology.CHUNKS_SINK);
            context.forward(out, IngestTopology.EMBED_PROCESSOR);
        }
        chunked.increment();
        chunks.increment(split.size());
    }

    private void deadLetter(Record<byte[], byte[]> record, String stage, RuntimeException e) {
        LOG.warn("document rejected at {} ({}), sent to the dead-letter topic", stage, e.getMessage());
        rejected.increment();
        context.forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(),
                DeadLetters.headers(stage, e, context.recordMetadata())), IngestTopology.DLQ_SINK);
    }
}
