package io.faro.core.metrics;

/** Every metric FARO exports, named once, in Prometheus conventions (base units, {@code _total}). */
public final class MetricNames {

    /** Documents read from {@code faro.documents}, by outcome ({@code chunked}, {@code deleted}, {@code stale}, {@code rejected}). */
    public static final String DOCUMENTS = "faro_documents";
    public static final String CHUNKS = "faro_chunks";
    /** Embeddings written to {@code faro.embeddings}, whether the model computed them or they were reused. */
    public static final String EMBEDDINGS = "faro_embeddings";
    /** One embedding batch: its duration; a distribution of its size rides along. */
    public static final String EMBED_BATCH_SECONDS = "faro_embed_batch_seconds";
    public static final String EMBED_BATCH_SIZE = "faro_embed_batch_size";
    /**
     * Time at least one embedding batch was with the model, counted once however many were: the model's busy
     * time, where the batches' durations would count overlapping batches twice.
     */
    public static final String EMBED_BUSY_SECONDS = "faro_embed_busy_seconds";
    /** Chunks whose text and model were unchanged, so their vector was reused instead of embedded again. */
    public static final String EMBEDDINGS_REUSED = "faro_embeddings_reused";
    /** Extracting one document's text from its bytes (PDF, DOCX, ...), by format and outcome ({@code ok} or the dead-letter reason). */
    public static final String EXTRACT_SECONDS = "faro_extract_seconds";
    /** Records sent to {@code faro.dlq}, by stage and reason (a short category; the record's headers say more). */
    public static final String DLQ_RECORDS = "faro_dlq_records";
    /** Store writes, by store and operation ({@code upsert}, {@code delete}). */
    public static final String SINK_WRITE_SECONDS = "faro_sink_write_seconds";
    public static final String SINK_RECORDS = "faro_sink_records";
    public static final String SINK_WRITE_FAILURES = "faro_sink_write_failures";
    /** Embeddings a sink re-embedded with its store's model because {@code faro reembed} switched the store. */
    public static final String SINK_REEMBEDDED = "faro_sink_reembedded";
    /** Records a sink has consumed but not yet written to its store (its buffer), by store. */
    public static final String SINK_BUFFERED_RECORDS = "faro_sink_buffered_records";
    /**
     * From a document's publication (its record's timestamp in {@code faro.documents}) to one of its chunks
     * being written to a store, where it is searchable; by store.
     */
    public static final String FRESHNESS_SECONDS = "faro_freshness_seconds";
    /** Records of a topic a consumer group has not consumed yet (end offset minus committed offset), by group and topic. */
    public static final String CONSUMER_LAG_RECORDS = "faro_consumer_lag_records";
    /** Age of the oldest record a consumer group has not consumed yet; 0 when it is caught up. By group and topic. */
    public static final String CONSUMER_LAG_SECONDS = "faro_consumer_lag_seconds";
    /**
     * Records the ingest holds for claim checks: documents whose bytes are being fetched from S3 (or wait for a
     * fetch slot), and the later records of the same documents that wait behind them to keep their order.
     */
    public static final String CLAIM_CHECKS_WAITING = "faro_claim_checks_waiting";
    /** From a claim check's first fetch attempt to its bytes, or to a permanent failure; by outcome. */
    public static final String CLAIM_CHECK_FETCH_SECONDS = "faro_claim_check_fetch_seconds";
    /** Claim-check fetches that failed for a transient reason (throttling, 5xx, timeout) and were tried again. */
    public static final String CLAIM_CHECK_FETCH_RETRIES = "faro_claim_check_fetch_retries";
    /** One store's search, by store and search mode ({@code dense}, {@code keyword}, {@code hybrid}). */
    public static final String SEARCH_LATENCY_SECONDS = "rag_search_latency_seconds";
    /** |primary top-k ∩ shadow top-k| / k, one observation per measured query. */
    public static final String SEARCH_OVERLAP_RATIO = "rag_search_overlap_ratio";
    /** Answers served by the shadow because the primary failed, by reason. */
    public static final String SEARCH_FALLBACKS = "rag_search_fallback";
    /** Shadow searches that gave no measurement, by store and reason. */
    public static final String SEARCH_SHADOW_FAILURES = "rag_search_shadow_failures";
    /** Chunks a store lacks, holds in excess or holds stale, by store and kind, as last reconciled. */
    public static final String STORE_DRIFT_CHUNKS = "faro_store_drift_chunks";
    /** Vectors in each store, refreshed in the background. */
    public static final String STORE_VECTORS = "faro_store_vectors";
    /** HTTP requests to the gateway, by route and status. */
    public static final String HTTP_REQUEST_SECONDS = "faro_http_request_seconds";
    /**
     * Requests the gateway refused before serving them, by reason ({@code unauthenticated}, {@code forbidden},
     * {@code rate-limited}, {@code concurrency}, {@code too-large}; {@code unavailable} when an OIDC issuer's keys
     * cannot be fetched to check a token) and caller ({@code key_id}: an API key's id,
     * never the key; {@code unknown} when no caller was recognised).
     */
    public static final String HTTP_REJECTIONS = "faro_http_rejections";

    /**
     * One call to the reranker, by outcome ({@code ok}, or why its order was not used: {@code timeout},
     * {@code error}, {@code malformed}).
     */
    public static final String RERANK_SECONDS = "faro_rerank_seconds";
    /** Searches that kept the fused order because the reranker failed or missed its deadline, by reason. */
    public static final String RERANK_FAILURES = "faro_rerank_failures";

    /** Tokens an LLM endpoint reported for answers, by model and kind ({@code prompt}, {@code completion}). */
    public static final String LLM_TOKENS = "faro_llm_tokens";
    /** One call to an LLM endpoint, by endpoint and outcome ({@code ok} or a failure reason). */
    public static final String LLM_REQUEST_SECONDS = "faro_llm_request_seconds";
    /** Failed calls to an LLM endpoint, by endpoint and reason ({@code rate-limited}, {@code timeout}, ...). */
    public static final String LLM_FAILURES = "faro_llm_failures";
    /** Answers that left an endpoint for the next one, or for an extractive answer, by target. */
    public static final String LLM_FALLBACKS = "faro_llm_fallbacks";

    /** Tokens a hosted embedding model reported, by model (its cost). */
    public static final String EMBEDDING_TOKENS = "faro_embedding_tokens";
    /** One request to a hosted embedding model, by model, endpoint and outcome ({@code ok} or a failure reason). */
    public static final String EMBEDDING_REQUEST_SECONDS = "faro_embedding_request_seconds";
    /** Failed requests to a hosted embedding model, by model, endpoint and reason; each is retried or split. */
    public static final String EMBEDDING_FAILURES = "faro_embedding_failures";
    /** Time requests waited for the provider's limits, by model and limit ({@code requests}, {@code tokens}). */
    public static final String EMBEDDING_LIMIT_WAIT_SECONDS = "faro_embedding_limit_wait_seconds";
    /** Requests to a hosted embedding model under way now, by model. */
    public static final String EMBEDDING_REQUESTS_IN_FLIGHT = "faro_embedding_requests_in_flight";
    public static final String TAG_LIMIT = "limit";
    /** Objects the S3 source published as documents, by change ({@code created}, {@code changed}, {@code deleted}). */
    public static final String S3_SOURCE_CHANGES = "faro_s3_source_changes";
    /** One listing of every location and the publishing of what changed, by outcome ({@code complete}, {@code failed}). */
    public static final String S3_SOURCE_SCAN_SECONDS = "faro_s3_source_scan_seconds";
    /** Objects the S3 source knows of (its position), on the replica that lists. */
    public static final String S3_SOURCE_OBJECTS = "faro_s3_source_objects";
    /** 1 on the replica of the S3 source that lists the buckets, 0 on the others. */
    public static final String S3_SOURCE_LEADER = "faro_s3_source_leader";
    /** Chunk objects the archive wrote to S3, by operation ({@code put}, {@code delete}). */
    public static final String ARCHIVE_WRITES = "faro_archive_writes";
    /** Batches of archive writes S3 refused; the batch is tried again, its offsets are not committed. */
    public static final String ARCHIVE_WRITE_FAILURES = "faro_archive_write_failures";

    public static final String TAG_STORE = "store";
    public static final String TAG_OPERATION = "operation";
    public static final String TAG_STAGE = "stage";
    public static final String TAG_FORMAT = "format";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_ROUTE = "route";
    public static final String TAG_STATUS = "status";
    public static final String TAG_REASON = "reason";
    public static final String TAG_MODEL = "model";
    public static final String TAG_GROUP = "group";
    public static final String TAG_TOPIC = "topic";
    public static final String TAG_ENDPOINT = "endpoint";
    public static final String TAG_KIND = "kind";
    /** How a search found its chunks: {@code dense}, {@code keyword} or {@code hybrid}. */
    public static final String TAG_MODE = "mode";
    public static final String TAG_CHANGE = "change";
    /** The caller a gateway request came from: an API key's id or an OIDC client, never a secret. */
    public static final String TAG_KEY_ID = "key_id";
    /** Where an answer went after an endpoint failed: {@code next-endpoint} or {@code extractive}. */
    public static final String TAG_TO = "to";

    private MetricNames() {
    }
}
