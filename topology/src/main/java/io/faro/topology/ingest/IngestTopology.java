package io.faro.topology.ingest;

import io.faro.core.config.FaroConfig;
import io.faro.core.document.DocumentParser;
import io.faro.core.embed.Embedder;
import io.faro.core.json.JsonSerde;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.topic.Topics;
import io.faro.documents.TextExtractor;
import io.faro.topology.buffer.BatchBuffer;
import io.faro.topology.embed.CachedVector;
import io.faro.topology.embed.EmbedBatchProcessor;
import io.faro.topology.embed.ModelBusyTime;
import io.faro.topology.runtime.Backpressure;
import io.faro.topology.embed.PendingChunk;
import io.faro.topology.fetch.ClaimChecks;
import io.faro.topology.fetch.FetchPool;
import io.faro.topology.runtime.StreamsSettings;
import io.faro.topology.split.ChunkSplitter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The ingest application: documents in, chunks and embeddings out, each document's chunks kept in
 * step with its latest version (new chunks embedded, vanished ones deleted, unchanged ones not
 * embedded again).
 * <ul>
 *   <li>in: {@code faro.documents}, key document id (UTF-8), value document JSON (text, or a file's bytes whose
 *       text is extracted here), or null to
 *       delete the document (bytes are parsed here, so undecodable records reach the dead-letter topic
 *       instead of stopping the stream); a document that is a claim check ({@code content_ref}) has its bytes
 *       fetched from S3 first ({@link ClaimCheckProcessor});</li>
 *   <li>out: {@code faro.chunks}, key chunk id, value {@link Chunk} JSON, or null for a deleted chunk;</li>
 *   <li>out: {@code faro.embeddings}, key chunk id, value {@link EmbeddedChunk} JSON, or null for a
 *       deleted chunk;</li>
 *   <li>out: {@code faro.dlq}, the rejected record's key and value with error headers.</li>
 * </ul>
 * Exactly-once: the chunks, embeddings, dead letters, buffer and claim-check changelogs and consumed offsets
 * commit in one Kafka transaction. No S3 call runs on a stream thread, so none can hold a transaction open.
 */
public final class IngestTopology {

    public static final String APPLICATION_ID = KafkaIds.INGEST_APPLICATION_ID;
    private static final int DEFAULT_MAX_REQUEST_BYTES = 1_048_576;
    /** Kafka Streams' own transaction timeout under exactly-once. */
    private static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;
    private static final long EMBED_POLL_MS = 5;
    /** Room beyond the longest parse for the rest of a commit interval's work (embedding a batch, say). */
    private static final int TRANSACTION_TIMEOUT_MARGIN_MS = 30_000;

    static final String SOURCE = "documents-source";
    static final String CLAIM_CHECK_PROCESSOR = "fetch-claim-checks";
    static final String CLAIM_CHECK_PARKED = "claim-check-parked";
    static final String CLAIM_CHECK_QUEUES = "claim-check-queues";
    static final String SPLIT_PROCESSOR = "parse-and-split";
    static final String EMBED_PROCESSOR = "embed-batch";
    static final String EMBED_BUFFER = "embed-buffer";
    static final String EMBED_CACHE = "embed-cache";
    static final String DOC_STATE = "document-state";
    static final String CHUNKS_SINK = "chunks-sink";
    static final String EMBEDDINGS_SINK = "embeddings-sink";
    static final String DLQ_SINK = "dlq-sink";

    private IngestTopology() {
    }

    /** The ingest without S3: a claim-check document is dead-lettered with a reason that says what to set. */
    public static Topology build(FaroConfig config, Embedder embedder, MeterRegistry meters) {
        return build(config, embedder, new Backpressure(), meters, Optional.empty());
    }

    /**
     * The ingest; with {@code fetches}, claim-check documents ({@code content_ref}) are fetched from S3 before they
     * are parsed. The pool is the caller's to close, after the stream application that runs this topology.
     * {@code backpressure}: bound to the application once it runs, so that a hosted model can pause it.
     */
    public static Topology build(FaroConfig config, Embedder embedder, Backpressure backpressure, MeterRegistry meters,
                                 Optional<FetchPool> fetches) {
        DocumentParser parser = new DocumentParser(config.maxDocumentBytes());
        // a fetched document reaches the parser inline, its bytes as base64: its own, larger limit
        DocumentParser fetchedParser = new DocumentParser(ClaimChecks.inlineDocumentBytes(
                fetches.map(FetchPool::maxObjectBytes).orElse(0), config.maxDocumentBytes()));
        ExtractionStep extraction = new ExtractionStep(new TextExtractor(config.extraction()), meters);
        ChunkSplitter splitter = new ChunkSplitter(config.chunkSizeTokens(), config.chunkOverlapTokens());
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Topics.DOCUMENTS.name());
        ClaimCheckMetrics claimCheckMetrics = new ClaimCheckMetrics(meters);
        ClaimCheckProcessor.Wiring claimChecks = new ClaimCheckProcessor.Wiring(CLAIM_CHECK_PARKED, CLAIM_CHECK_QUEUES,
                SPLIT_PROCESSOR, DLQ_SINK);
        topology.addProcessor(CLAIM_CHECK_PROCESSOR, () -> new ClaimCheckProcessor(fetches, config.maxDocumentBytes(),
                claimChecks, claimCheckMetrics), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLAIM_CHECK_PARKED),
                Serdes.String(), JsonSerde.of(ParkedRecord.class)).withCachingEnabled(), CLAIM_CHECK_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLAIM_CHECK_QUEUES),
                Serdes.String(), JsonSerde.of(DocumentQueue.class)).withCachingEnabled(), CLAIM_CHECK_PROCESSOR);
        topology.addProcessor(SPLIT_PROCESSOR, () -> new DocumentSplitProcessor(parser, fetchedParser, extraction,
                splitter, DOC_STATE, meters), CLAIM_CHECK_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DOC_STATE), Serdes.String(),
                JsonSerde.of(DocState.class)), SPLIT_PROCESSOR);
        EmbedBatchProcessor.Wiring wiring = new EmbedBatchProcessor.Wiring(EMBED_BUFFER, EMBED_CACHE, EMBEDDINGS_SINK,
                DLQ_SINK);
        ModelBusyTime busy = new ModelBusyTime(meters, embedder.model());
        topology.addProcessor(EMBED_PROCESSOR, () -> new EmbedBatchProcessor(embedder, wiring,
                config.embedBatchSize(), Duration.ofMillis(config.embedLingerMs()), backpressure, busy, meters),
                SPLIT_PROCESSOR);
        topology.addStateStore(BatchBuffer.storeBuilder(EMBED_BUFFER, JsonSerde.of(PendingChunk.class)),
                EMBED_PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EMBED_CACHE), Serdes.String(),
                JsonSerde.of(CachedVector.class)), EMBED_PROCESSOR);
        topology.addSink(CHUNKS_SINK, Topics.CHUNKS.name(), new StringSerializer(),
                JsonSerde.of(Chunk.class).serializer(), SPLIT_PROCESSOR);
        topology.addSink(EMBEDDINGS_SINK, Topics.EMBEDDINGS.name(), new StringSerializer(),
                JsonSerde.of(EmbeddedChunk.class).serializer(), EMBED_PROCESSOR);
        topology.addSink(DLQ_SINK, Topics.DLQ.name(), new ByteArraySerializer(), new ByteArraySerializer(),
                CLAIM_CHECK_PROCESSOR, SPLIT_PROCESSOR, EMBED_PROCESSOR);
        return topology;
    }

    public static Properties streamsConfig(FaroConfig config) {
        Properties props = StreamsSettings.common(config, APPLICATION_ID);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A dead letter carries its document unchanged: a producer capped at Kafka's default 1 MiB would fail
        // the task on every large bad document, again and again, and stop the pipeline.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Math.max(Topics.documentRecordBytes(config.maxDocumentBytes()), DEFAULT_MAX_REQUEST_BYTES));
        // Extraction runs on the stream thread, inside the open transaction; Kafka Streams' 10 s transaction
        // timeout would abort it under a slow but legitimate parse and redo the document forever.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                Math.max(DEFAULT_TRANSACTION_TIMEOUT_MS, config.extraction().parseTimeoutMs() + TRANSACTION_TIMEOUT_MARGIN_MS));
        // The model's batches (hosted or in-process) come back while the stream thread waits for records, or while
        // it is held back; a poll of Kafka Streams' default 100 ms would leave them, and the model, waiting as long.
        props.put(StreamsConfig.POLL_MS_CONFIG, EMBED_POLL_MS);
        return props;
    }
}
