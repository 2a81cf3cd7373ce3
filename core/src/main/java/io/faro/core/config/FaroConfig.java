package io.faro.core.config;

import io.faro.core.embed.EmbeddingModelName;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.kafka.TopicsMode;
import io.faro.core.store.SearchMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of FARO, read once from {@code FARO_*} environment variables. Each variable is
 * declared here and only here, with its default; the README's configuration table mirrors this class.
 */
public record FaroConfig(
        Path home,
        KafkaSettings kafka,
        HttpSettings http,
        PgSettings pg,
        EmbeddingSettings embedding,
        int chunkSizeTokens,
        int chunkOverlapTokens,
        int embedBatchSize,
        int embedLingerMs,
        int sinkBatchSize,
        int sinkLingerMs,
        int maxDocumentBytes,
        int maxRequestBytes,
        int maxTopK,
        DocumentRoutesSettings documents,
        Optional<QdrantSettings> qdrant,
        SearchSettings search,
        int reconcileIntervalS,
        Optional<LlmSettings> llm,
        Optional<RerankSettings> rerank,
        Optional<S3Settings> s3,
        ExtractionSettings extraction,
        ConnectorSettings connectors,
        AuthSettings auth) {

    /**
     * Where a component listens: the gateway's port, and the management port that serves health and
     * metrics of a process that runs no gateway; how long a stopping process stays up, not ready, before it
     * stops taking requests, so that load balancers route around it first; and whether the gateway's port also
     * serves the console, the page at {@code /} for trying FARO in a browser.
     */
    public record HttpSettings(String host, int port, int managementPort, Duration shutdownDelay, boolean console) {
    }

    /**
     * Where PostgreSQL is ({@code url} unset: the private cluster of {@code faro up} on {@code port}), the
     * credentials and TLS that are kept apart from the URL, how many candidates a search's walk of the HNSW
     * index keeps ({@code hnsw.ef_search}), and how the HNSW graph is built.
     */
    public record PgSettings(Optional<String> url, int port, String table, Optional<String> user,
                             Optional<Secret> password, Optional<PgSslMode> sslMode, Optional<Path> sslRootCert,
                             int efSearch, HnswBuild hnsw) {

        /** The user and database of {@code faro up}'s private cluster, which trusts local connections. */
        public static final String LOCAL_USER = "faro";
        public static final String LOCAL_DATABASE = "postgres";

        /** Only a URL (credentials and TLS in it, if any) and a table. */
        public static PgSettings of(String url, String table) {
            return new PgSettings(Optional.of(url), DEFAULT_PG_PORT, table, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), DEFAULT_PG_EF_SEARCH, HnswBuild.DEFAULT);
        }

        /** The URL of {@code faro up}'s private cluster on this port. */
        public static String localUrl(int port) {
            return "postgresql://" + LOCAL_USER + "@localhost:" + port + "/" + LOCAL_DATABASE;
        }

        /** The given URL, or that of the private cluster {@code faro up} runs. */
        public String urlOrLocal() {
            return url.orElseGet(() -> localUrl(port));
        }

        public PgSettings withUrl(String url) {
            return new PgSettings(Optional.of(url), port, table, user, password, sslMode, sslRootCert, efSearch,
                    hnsw);
        }
    }

    /**
     * How pgvector builds the HNSW graph ({@code WITH (m, ef_construction)}): the links each vector keeps per
     * layer and the candidates each insert weighs. More of either makes a graph a search walks with better recall
     * at the same {@code hnsw.ef_search}, and costs more memory, index build and insert time. A table's index is
     * built with the settings of the day; {@code faro rebuild pgvector} builds it again with new ones.
     */
    public record HnswBuild(int m, int efConstruction) {

        /** pgvector's own defaults. */
        public static final HnswBuild DEFAULT = new HnswBuild(16, 64);
        public static final int MIN_M = 2;
        public static final int MAX_M = 100;
        public static final int MIN_EF_CONSTRUCTION = 4;
        public static final int MAX_EF_CONSTRUCTION = 1_000;

        public HnswBuild {
            if (m < MIN_M || m > MAX_M) {
                throw new ConfigException(PG_HNSW_M + " must be between " + MIN_M + " and " + MAX_M
                        + ", got " + m);
            }
            if (efConstruction < 2 * m || efConstruction > MAX_EF_CONSTRUCTION) {
                throw new ConfigException(PG_HNSW_EF_CONSTRUCTION + " must be between 2 × "
                        + PG_HNSW_M + " (" + 2 * m + ") and " + MAX_EF_CONSTRUCTION + ", got " + efConstruction);
            }
        }

        /** The index's storage parameters, as {@code CREATE INDEX ... WITH} takes them. */
        public String storageParameters() {
            return "m = " + m + ", ef_construction = " + efConstruction;
        }
    }

    /** PostgreSQL's {@code sslmode}, from no TLS to TLS with the server's name checked against its certificate. */
    public enum PgSslMode { DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL }

    /**
     * The gateway's document routes: whether it takes uploads and deletes ({@code POST /v1/documents},
     * {@code DELETE /v1/documents/{id}}), and for how many documents it remembers the latest rejection, read from
     * how far back in {@code faro.dlq} when it starts.
     */
    public record DocumentRoutesSettings(boolean uploads, int rejectionsKept, Duration rejectionsLookback) {
    }

    /** Where Qdrant is, when it is used at all ({@code FARO_QDRANT_URL} set). */
    public record QdrantSettings(String url, Optional<Secret> apiKey, String collection, int timeoutMs) {
    }

    /**
     * Generated answers, when {@code FARO_LLM_BASE_URL} is set: the endpoints in the order they are tried
     * (the primary first), one deadline for the whole question, and the caps on context and answer.
     */
    public record LlmSettings(List<LlmEndpoint> endpoints, int timeoutMs, int maxRetries, int maxContextTokens,
                              int maxAnswerTokens) {
    }

    /** One OpenAI-compatible chat endpoint; the headers' values may be secrets and never print. */
    public record LlmEndpoint(String baseUrl, String model, Optional<Secret> apiKey, Map<String, Secret> headers) {
    }

    /**
     * S3, when {@code FARO_S3_BUCKET} is set: FARO's own bucket (where {@code faro publish} puts files too large
     * for a record), how to reach S3 or an S3-compatible server, how long a call may take and how often the SDK
     * tries it, and how the ingest fetches claim checks (from any bucket its credentials may read). Credentials
     * come from the AWS SDK's default chain (environment, web identity token as IRSA mounts it, container or
     * instance profile), never from FARO's variables.
     *
     * @param region         the region, or empty for the SDK's default chain ({@code AWS_REGION}, profile, metadata)
     * @param endpoint       an S3-compatible server (MinIO, Ceph, ...), or empty for AWS
     * @param pathStyle      {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
     * @param timeoutMs      the longest one attempt of a call may take; also the connect and read timeouts
     * @param maxAttempts    attempts of one call, the first included, by the SDK's retry strategy
     * @param retryMode      the SDK's retry strategy
     * @param fetchConcurrency claim-check fetches in flight (waiting to retry included) per ingest process
     * @param maxObjectBytes the largest object a claim check may point at
     */
    public record S3Settings(String bucket, Optional<String> region, Optional<URI> endpoint,
                             boolean pathStyle, int timeoutMs, int maxAttempts, S3RetryMode retryMode,
                             int fetchConcurrency, int maxObjectBytes) {
    }

    /**
     * The connectors at FARO's edges (they need S3 on, {@link #s3()}).
     *
     * @param sourceLocations    what {@code faro run s3-source} watches; empty when nothing is set
     * @param sourceInterval     how long the source waits between two listings of its locations
     * @param archive            where {@code faro run chunk-archive} keeps chunks and {@code faro restore} reads them:
     *                           FARO's bucket unless another is given; empty when S3 is off
     * @param archiveConcurrency S3 requests in flight at once by the archive and by a restore
     */
    public record ConnectorSettings(List<S3Location> sourceLocations, Duration sourceInterval,
                                    Optional<S3Location> archive, int archiveConcurrency) {

        public ConnectorSettings {
            sourceLocations = List.copyOf(sourceLocations);
        }
    }

    /** The AWS SDK's retry strategies: {@code standard}, or {@code adaptive}, which also slows the client's own rate. */
    public enum S3RetryMode { STANDARD, ADAPTIVE }

    /**
     * The limits on turning a document's bytes (PDF, Word, ...) into text: how long one parse may run, how many
     * characters it may yield, and how far compressed content (the zip inside an Office file) may expand. A
     * document past a limit goes to the dead-letter topic.
     */
    public record ExtractionSettings(int parseTimeoutMs, int maxExtractedChars, int maxCompressionRatio) {
    }

    /**
     * How the gateway searches the primary store and measures the shadow; the search mode a request gets when
     * it names none; and the keyword analyser's language, which both stores apply to chunks as they write them
     * and to questions as they search (changing it takes a {@code faro rebuild} of each store).
     */
    public record SearchSettings(double shadowSampleRate, int shadowTimeoutMs, int primaryTimeoutMs,
                                 SearchMode defaultMode, String keywordLanguage) {

        /** The default search mode and analyser. */
        public SearchSettings(double shadowSampleRate, int shadowTimeoutMs, int primaryTimeoutMs) {
            this(shadowSampleRate, shadowTimeoutMs, primaryTimeoutMs, DEFAULT_SEARCH_MODE, DEFAULT_KEYWORD_LANGUAGE);
        }
    }

    /**
     * The reranker over the first fused hits of each search, when {@code FARO_RERANK_URL} or
     * {@code FARO_RERANK_ONNX_MODEL} is set: which one, how long a search waits for it before it keeps the fused
     * order, and how many hits it reorders (the search fetches that many, then returns {@code top_k}).
     */
    public record RerankSettings(RerankModel model, int timeoutMs, int candidates) {
    }

    /** Where the reranker runs: behind an HTTP endpoint, or in this process from ONNX files. */
    public sealed interface RerankModel permits RerankEndpoint, RerankOnnxFiles {
    }

    /**
     * An HTTP reranking endpoint (its full URL, such as {@code https://api.cohere.com/v2/rerank}); the model to
     * name in requests, if the server wants one; the API key sent as a bearer token, which never prints.
     */
    public record RerankEndpoint(String url, Optional<String> model, Optional<Secret> apiKey, RerankFormat format)
            implements RerankModel {
    }

    /**
     * The request and response shape of a reranking endpoint: {@code cohere}, {@code {model, query, documents}}
     * answered by {@code {results: [{index, relevance_score}]}} (Cohere, Jina, Infinity, vLLM, and others that copy
     * Cohere's API); {@code tei}, {@code {query, texts}} answered by {@code [{index, score}]} (Hugging Face's Text
     * Embeddings Inference).
     */
    public enum RerankFormat { COHERE, TEI }

    /** A cross-encoder in ONNX format and its tokenizer ({@code tokenizer.json}), run in the gateway's process. */
    public record RerankOnnxFiles(Path model, Path tokenizer) implements RerankModel {
    }

    public static final String HOME = "FARO_HOME";
    public static final String KAFKA_BOOTSTRAP = "FARO_KAFKA_BOOTSTRAP";
    public static final String KAFKA_PORT = "FARO_KAFKA_PORT";
    public static final String TOPIC_PARTITIONS = "FARO_TOPIC_PARTITIONS";
    /** {@code create} (FARO creates and aligns its topics) or {@code verify} (the platform owns them). */
    public static final String TOPICS_MODE = "FARO_TOPICS_MODE";
    /** TLS to Kafka; implied by any of the TLS files below. */
    public static final String KAFKA_TLS = "FARO_KAFKA_TLS";
    /** The cluster CA certificate (PEM), as Strimzi's {@code <cluster>-cluster-ca-cert} secret holds it ({@code ca.crt}). */
    public static final String KAFKA_TLS_CA_FILE = "FARO_KAFKA_TLS_CA_FILE";
    /** Or the cluster CA as a PKCS12 truststore ({@code ca.p12}) and its password ({@code ca.password}). */
    public static final String KAFKA_TLS_TRUSTSTORE_FILE = "FARO_KAFKA_TLS_TRUSTSTORE_FILE";
    public static final String KAFKA_TLS_TRUSTSTORE_PASSWORD = "FARO_KAFKA_TLS_TRUSTSTORE_PASSWORD";
    public static final String KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE = "FARO_KAFKA_TLS_TRUSTSTORE_PASSWORD_FILE";
    /** mTLS: a KafkaUser's PKCS12 keystore ({@code user.p12}) and its password ({@code user.password}). */
    public static final String KAFKA_TLS_KEYSTORE_FILE = "FARO_KAFKA_TLS_KEYSTORE_FILE";
    public static final String KAFKA_TLS_KEYSTORE_PASSWORD = "FARO_KAFKA_TLS_KEYSTORE_PASSWORD";
    public static final String KAFKA_TLS_KEYSTORE_PASSWORD_FILE = "FARO_KAFKA_TLS_KEYSTORE_PASSWORD_FILE";
    /** Or mTLS with the KafkaUser's PEM certificate ({@code user.crt}) and PKCS#8 key ({@code user.key}). */
    public static final String KAFKA_TLS_CERT_FILE = "FARO_KAFKA_TLS_CERT_FILE";
    public static final String KAFKA_TLS_KEY_FILE = "FARO_KAFKA_TLS_KEY_FILE";
    /** SCRAM-SHA-512: the KafkaUser's name, and its password ({@code password} in Strimzi's user secret). */
    public static final String KAFKA_SCRAM_USER = "FARO_KAFKA_SCRAM_USER";
    public static final String KAFKA_SCRAM_PASSWORD = "FARO_KAFKA_SCRAM_PASSWORD";
    public static final String KAFKA_SCRAM_PASSWORD_FILE = "FARO_KAFKA_SCRAM_PASSWORD_FILE";
    /** Any other Kafka client property, in a properties file, applied over FARO's own. */
    public static final String KAFKA_PROPERTIES_FILE = "FARO_KAFKA_PROPERTIES_FILE";
    public static final String HTTP_HOST = "FARO_HTTP_HOST";
    public static final String HTTP_PORT = "FARO_HTTP_PORT";
    public static final String SHUTDOWN_DELAY_MS = "FARO_SHUTDOWN_DELAY_MS";
    /**
     * The console at the gateway's root, {@code /}: a page that asks, searches and uploads through the public API.
     * On for {@code faro up}; the Helm chart turns it off unless asked.
     */
    public static final String CONSOLE = "FARO_CONSOLE";
    public static final String PG_URL = "FARO_PG_URL";
    public static final String PG_PORT = "FARO_PG_PORT";
    public static final String PG_TABLE = "FARO_PG_TABLE";
    public static final String PG_USER = "FARO_PG_USER";
    public static final String PG_PASSWORD = "FARO_PG_PASSWORD";
    public static final String PG_PASSWORD_FILE = "FARO_PG_PASSWORD_FILE";
    public static final String PG_SSLMODE = "FARO_PG_SSLMODE";
    /** CA certificates (PEM) that sign the server's certificate, such as Amazon RDS's global bundle. */
    public static final String PG_SSLROOTCERT = "FARO_PG_SSLROOTCERT";
    public static final String PG_EF_SEARCH = "FARO_PG_EF_SEARCH";
    public static final String PG_HNSW_M = "FARO_PG_HNSW_M";
    public static final String PG_HNSW_EF_CONSTRUCTION = "FARO_PG_HNSW_EF_CONSTRUCTION";
    /** {@code onnx} (a model FARO runs in-process) or {@code openai} (an OpenAI-compatible embeddings endpoint). */
    public static final String EMBEDDING_PROVIDER = "FARO_EMBEDDING_PROVIDER";
    /** An in-process model's name, or the endpoint's model when the provider is {@code openai}. */
    public static final String EMBEDDING_MODEL = "FARO_EMBEDDING_MODEL";
    public static final String EMBEDDING_BASE_URL = "FARO_EMBEDDING_BASE_URL";
    public static final String EMBEDDING_DIMENSION = "FARO_EMBEDDING_DIMENSION";
    public static final String EMBEDDING_API_KEY = "FARO_EMBEDDING_API_KEY";
    public static final String EMBEDDING_API_KEY_FILE = "FARO_EMBEDDING_API_KEY_FILE";
    public static final String EMBEDDING_HEADERS = "FARO_EMBEDDING_HEADERS";
    public static final String EMBEDDING_HEADERS_FILE = "FARO_EMBEDDING_HEADERS_FILE";
    /** Requests to a hosted embedding model sent at once by one process. */
    public static final String EMBED_REQUESTS_IN_FLIGHT = "FARO_EMBED_REQUESTS_IN_FLIGHT";
    public static final int DEFAULT_EMBED_REQUESTS_IN_FLIGHT = 4;
    /** Tokens in one request to a hosted embedding model at most. */
    public static final String EMBED_MAX_REQUEST_TOKENS = "FARO_EMBED_MAX_REQUEST_TOKENS";
    public static final int DEFAULT_EMBED_MAX_REQUEST_TOKENS = 100_000;
    /** The provider's requests-per-minute and tokens-per-minute limits, as this process may use them; 0: none. */
    public static final String EMBED_REQUESTS_PER_MINUTE = "FARO_EMBED_REQUESTS_PER_MINUTE";
    public static final String EMBED_TOKENS_PER_MINUTE = "FARO_EMBED_TOKENS_PER_MINUTE";
    /** One request's deadline; a question's embedding waits at most this long in all. */
    public static final String EMBED_TIMEOUT_MS = "FARO_EMBED_TIMEOUT_MS";
    public static final int DEFAULT_EMBED_TIMEOUT_MS = 30_000;
    public static final String CHUNK_SIZE_TOKENS = "FARO_CHUNK_SIZE_TOKENS";
    public static final String CHUNK_OVERLAP_TOKENS = "FARO_CHUNK_OVERLAP_TOKENS";
    public static final String EMBED_BATCH_SIZE = "FARO_EMBED_BATCH_SIZE";
    public static final String EMBED_LINGER_MS = "FARO_EMBED_LINGER_MS";
    public static final String SINK_BATCH_SIZE = "FARO_SINK_BATCH_SIZE";
    public static final String SINK_LINGER_MS = "FARO_SINK_LINGER_MS";
    public static final String MAX_DOCUMENT_BYTES = "FARO_MAX_DOCUMENT_BYTES";
    public static final String MAX_REQUEST_BYTES = "FARO_MAX_REQUEST_BYTES";
    public static final String MAX_TOP_K = "FARO_MAX_TOP_K";
    /** {@code false}: the gateway publishes nothing; {@code POST} and {@code DELETE /v1/documents} answer 405. */
    public static final String UPLOADS = "FARO_UPLOADS";
    /** How many documents' latest rejection (from {@code faro.dlq}) the gateway keeps, least recently rejected out. */
    public static final String REJECTIONS_KEPT = "FARO_REJECTIONS_KEPT";
    public static final int DEFAULT_REJECTIONS_KEPT = 10_000;
    /** How far back in {@code faro.dlq} the gateway starts reading rejections when it starts. */
    public static final String REJECTIONS_LOOKBACK_S = "FARO_REJECTIONS_LOOKBACK_S";
    /** A week: as long as {@code faro.documents} keeps a record to be processed again. */
    public static final int DEFAULT_REJECTIONS_LOOKBACK_S = 7 * 24 * 3600;
    public static final String QDRANT_URL = "FARO_QDRANT_URL";
    public static final String QDRANT_API_KEY = "FARO_QDRANT_API_KEY";
    public static final String QDRANT_API_KEY_FILE = "FARO_QDRANT_API_KEY_FILE";
    public static final String QDRANT_COLLECTION = "FARO_QDRANT_COLLECTION";
    public static final String QDRANT_TIMEOUT_MS = "FARO_QDRANT_TIMEOUT_MS";
    public static final String SHADOW_SAMPLE_RATE = "FARO_SHADOW_SAMPLE_RATE";
    public static final String SEARCH_MODE = "FARO_SEARCH_MODE";
    public static final String KEYWORD_LANGUAGE = "FARO_KEYWORD_LANGUAGE";
    public static final String SHADOW_TIMEOUT_MS = "FARO_SHADOW_TIMEOUT_MS";
    public static final String PRIMARY_TIMEOUT_MS = "FARO_PRIMARY_TIMEOUT_MS";
    /** An OpenAI-compatible API (OpenAI, Portkey, vLLM, Ollama) for generated answers; unset: extractive answers. */
    public static final String LLM_BASE_URL = "FARO_LLM_BASE_URL";
    public static final String LLM_MODEL = "FARO_LLM_MODEL";
    public static final String LLM_API_KEY = "FARO_LLM_API_KEY";
    public static final String LLM_API_KEY_FILE = "FARO_LLM_API_KEY_FILE";
    /** Extra headers, {@code name=value,name=value} (e.g. Portkey's {@code x-portkey-*}); values may be secrets. */
    public static final String LLM_HEADERS = "FARO_LLM_HEADERS";
    /**
     * More headers from a file (a mounted Secret), same syntax, line breaks also separating entries: the secret ones
     * (Portkey's {@code x-portkey-api-key}), so that {@code FARO_LLM_HEADERS} holds only the plain ones.
     */
    public static final String LLM_HEADERS_FILE = "FARO_LLM_HEADERS_FILE";
    /** Further endpoints tried in order: {@code base-url|model[|api-key-file],...}. */
    public static final String LLM_FALLBACKS = "FARO_LLM_FALLBACKS";
    /** One deadline for a question's answer, across retries and fallbacks. */
    public static final String LLM_TIMEOUT_MS = "FARO_LLM_TIMEOUT_MS";
    public static final int DEFAULT_LLM_TIMEOUT_MS = 30_000;
    /** Further attempts on one endpoint after a 429, 5xx, timeout or broken connection. */
    public static final String LLM_MAX_RETRIES = "FARO_LLM_MAX_RETRIES";
    public static final int DEFAULT_LLM_MAX_RETRIES = 2;
    public static final String LLM_MAX_CONTEXT_TOKENS = "FARO_LLM_MAX_CONTEXT_TOKENS";
    public static final int DEFAULT_LLM_MAX_CONTEXT_TOKENS = 6_000;
    public static final String LLM_MAX_ANSWER_TOKENS = "FARO_LLM_MAX_ANSWER_TOKENS";
    public static final int DEFAULT_LLM_MAX_ANSWER_TOKENS = 800;
    /** A reranking endpoint's full URL; unset (and no ONNX model set): no reranking. */
    public static final String RERANK_URL = "FARO_RERANK_URL";
    public static final String RERANK_MODEL = "FARO_RERANK_MODEL";
    public static final String RERANK_API_KEY = "FARO_RERANK_API_KEY";
    public static final String RERANK_API_KEY_FILE = "FARO_RERANK_API_KEY_FILE";
    public static final String RERANK_FORMAT = "FARO_RERANK_FORMAT";
    public static final RerankFormat DEFAULT_RERANK_FORMAT = RerankFormat.COHERE;
    /** A local cross-encoder's ONNX file, with {@link #RERANK_ONNX_TOKENIZER}; instead of {@link #RERANK_URL}. */
    public static final String RERANK_ONNX_MODEL = "FARO_RERANK_ONNX_MODEL";
    public static final String RERANK_ONNX_TOKENIZER = "FARO_RERANK_ONNX_TOKENIZER";
    public static final String RERANK_TIMEOUT_MS = "FARO_RERANK_TIMEOUT_MS";
    public static final int DEFAULT_RERANK_TIMEOUT_MS = 1_000;
    public static final String RERANK_CANDIDATES = "FARO_RERANK_CANDIDATES";
    public static final int DEFAULT_RERANK_CANDIDATES = 20;
    /** FARO's bucket; setting it turns S3 on (claim-check fetches in the ingest, uploads by {@code faro publish}). */
    public static final String S3_BUCKET = "FARO_S3_BUCKET";
    public static final String S3_REGION = "FARO_S3_REGION";
    /** An S3-compatible server instead of AWS, e.g. {@code http://minio:9000}. */
    public static final String S3_ENDPOINT = "FARO_S3_ENDPOINT";
    public static final String S3_PATH_STYLE = "FARO_S3_PATH_STYLE";
    public static final String S3_TIMEOUT_MS = "FARO_S3_TIMEOUT_MS";
    public static final int DEFAULT_S3_TIMEOUT_MS = 30_000;
    public static final String S3_MAX_ATTEMPTS = "FARO_S3_MAX_ATTEMPTS";
    public static final int DEFAULT_S3_MAX_ATTEMPTS = 3;
    public static final String S3_RETRY_MODE = "FARO_S3_RETRY_MODE";
    public static final S3RetryMode DEFAULT_S3_RETRY_MODE = S3RetryMode.STANDARD;
    public static final String S3_FETCH_CONCURRENCY = "FARO_S3_FETCH_CONCURRENCY";
    public static final int DEFAULT_S3_FETCH_CONCURRENCY = 8;
    public static final String S3_MAX_OBJECT_BYTES = "FARO_S3_MAX_OBJECT_BYTES";
    public static final int DEFAULT_S3_MAX_OBJECT_BYTES = 32 * 1024 * 1024;
    /** The longest one document's text extraction may run before the document is dead-lettered. */
    public static final String PARSE_TIMEOUT_MS = "FARO_PARSE_TIMEOUT_MS";
    public static final int DEFAULT_PARSE_TIMEOUT_MS = 30_000;
    /** The most characters of text one document may yield; more (a decompression bomb, say) is dead-lettered. */
    public static final String MAX_EXTRACTED_CHARS = "FARO_MAX_EXTRACTED_CHARS";
    public static final int DEFAULT_MAX_EXTRACTED_CHARS = 5_000_000;
    /** How many times its compressed size a zipped part (or the text) may expand to; beyond it is a zip bomb. */
    public static final String MAX_COMPRESSION_RATIO = "FARO_MAX_COMPRESSION_RATIO";
    public static final int DEFAULT_MAX_COMPRESSION_RATIO = 100;
    /** What {@code faro run s3-source} watches: {@code s3://bucket/prefix}, comma separated. */
    public static final String S3_SOURCE_LOCATIONS = "FARO_S3_SOURCE_LOCATIONS";
    public static final String S3_SOURCE_INTERVAL_MS = "FARO_S3_SOURCE_INTERVAL_MS";
    public static final int DEFAULT_S3_SOURCE_INTERVAL_MS = 60_000;
    /** The chunk archive's bucket; unset: {@code FARO_S3_BUCKET}. */
    public static final String ARCHIVE_BUCKET = "FARO_ARCHIVE_BUCKET";
    public static final String ARCHIVE_PREFIX = "FARO_ARCHIVE_PREFIX";
    public static final String DEFAULT_ARCHIVE_PREFIX = "chunks";
    public static final String ARCHIVE_CONCURRENCY = "FARO_ARCHIVE_CONCURRENCY";
    public static final int DEFAULT_ARCHIVE_CONCURRENCY = 16;
    public static final String INSTANCE_ID = "FARO_INSTANCE_ID";
    public static final String RECONCILE_INTERVAL_S = "FARO_RECONCILE_INTERVAL_S";
    public static final int DEFAULT_RECONCILE_INTERVAL_S = 300;
    /** Where a process that runs no gateway serves health and metrics (with one, the gateway's port serves them). */
    public static final String METRICS_PORT = "FARO_METRICS_PORT";
    public static final int DEFAULT_METRICS_PORT = 9464;

    /** {@code off}, or how callers of the gateway prove who they are: {@code api-keys}, {@code oidc}, or both. */
    public static final String AUTH = "FARO_AUTH";
    /** The hashed API keys, one JSON object a line (a mounted Secret); setting it turns API keys on. */
    public static final String API_KEYS_FILE = "FARO_API_KEYS_FILE";
    /** The OIDC issuer whose bearer tokens are taken; setting it turns OIDC on. */
    public static final String OIDC_ISSUER = "FARO_OIDC_ISSUER";
    public static final String OIDC_AUDIENCE = "FARO_OIDC_AUDIENCE";
    public static final String OIDC_JWKS_URL = "FARO_OIDC_JWKS_URL";
    public static final String OIDC_LEEWAY_S = "FARO_OIDC_LEEWAY_S";
    public static final int DEFAULT_OIDC_LEEWAY_S = 60;
    public static final String OIDC_TENANT_CLAIM = "FARO_OIDC_TENANT_CLAIM";
    public static final String DEFAULT_OIDC_TENANT_CLAIM = "tenant";
    public static final String OIDC_GROUPS_CLAIM = "FARO_OIDC_GROUPS_CLAIM";
    public static final String DEFAULT_OIDC_GROUPS_CLAIM = "groups";
    public static final String OIDC_ROLES_CLAIM = "FARO_OIDC_ROLES_CLAIM";
    public static final String DEFAULT_OIDC_ROLES_CLAIM = "roles";
    /** Requests per second one caller (an API key, an OIDC client) may send to one gateway replica; 0: no limit. */
    public static final String CALLER_RATE_PER_S = "FARO_CALLER_RATE_PER_S";
    public static final int DEFAULT_CALLER_RATE_PER_S = 50;
    /** Requests above the rate a caller may send at once; unset: twice the rate. */
    public static final String CALLER_BURST = "FARO_CALLER_BURST";
    /** Requests of one caller one gateway replica serves at once; 0: no limit. */
    public static final String CALLER_CONCURRENCY = "FARO_CALLER_CONCURRENCY";
    public static final int DEFAULT_CALLER_CONCURRENCY = 8;

    public static final String DEFAULT_HOME = "./.faro";
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_TOPIC_PARTITIONS = 3;
    public static final TopicsMode DEFAULT_TOPICS_MODE = TopicsMode.CREATE;
    public static final String DEFAULT_HTTP_HOST = "localhost";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_SHUTDOWN_DELAY_MS = 0;
    public static final boolean DEFAULT_CONSOLE = true;
    public static final int DEFAULT_PG_PORT = 5433;
    public static final String DEFAULT_PG_TABLE = "faro_chunks";
    /**
     * FARO's {@code hnsw.ef_search}, not pgvector's 40: at 100 000 chunks of real text, recall@10 against exact
     * search was 0.93 to 0.94 at 100 against 0.87 to 0.88 at 40, for 0.1 to 0.7 ms more an index search
     * ({@code bench/README.md}).
     */
    public static final int DEFAULT_PG_EF_SEARCH = 100;
    /** The most {@code hnsw.ef_search} pgvector takes. */
    public static final int MAX_PG_EF_SEARCH = 1_000;
    public static final EmbeddingModelName DEFAULT_EMBEDDING_MODEL = EmbeddingModelName.ALL_MINILM_L6_V2;
    public static final int DEFAULT_CHUNK_SIZE_TOKENS = 200;
    public static final int DEFAULT_CHUNK_OVERLAP_TOKENS = 20;
    public static final int DEFAULT_EMBED_BATCH_SIZE = 32;
    public static final int DEFAULT_EMBED_BATCH_SIZE_HOSTED = 128;
    public static final int DEFAULT_EMBED_LINGER_MS = 50;
    public static final int DEFAULT_SINK_BATCH_SIZE = 256;
    public static final int DEFAULT_SINK_LINGER_MS = 100;
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 900 * 1024;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_TOP_K = 50;
    public static final String DEFAULT_QDRANT_COLLECTION = "faro_chunks";
    public static final int DEFAULT_QDRANT_TIMEOUT_MS = 10_000;
    public static final double DEFAULT_SHADOW_SAMPLE_RATE = 1.0;
    public static final SearchMode DEFAULT_SEARCH_MODE = SearchMode.HYBRID;
    public static final String DEFAULT_KEYWORD_LANGUAGE = "english";
    public static final int DEFAULT_SHADOW_TIMEOUT_MS = 500;
    public static final int DEFAULT_PRIMARY_TIMEOUT_MS = 1_000;

    public FaroConfig {
        if (chunkOverlapTokens >= chunkSizeTokens) {
            throw new ConfigException(CHUNK_OVERLAP_TOKENS + "=" + chunkOverlapTokens
                    + " must be smaller than " + CHUNK_SIZE_TOKENS + "=" + chunkSizeTokens);
        }
        // 32 characters leave room for the suffixes of rebuild copies within PostgreSQL's 63.
        if (!pg.table().matches("[a-z_][a-z0-9_]{0,31}")) {
            throw new ConfigException(PG_TABLE + "=" + pg.table()
                    + " must be a lower-case SQL identifier (letters, digits, underscore) of at most 32 characters");
        }
    }

    public static FaroConfig fromEnv() {
        return from(Env.system());
    }

    public static FaroConfig from(Env env) {
        EmbeddingSettings embedding = EmbeddingVariables.read(env);
        Optional<S3Settings> s3 = S3Variables.read(env);
        return new FaroConfig(
                env.path(HOME, DEFAULT_HOME).toAbsolutePath().normalize(),
                new KafkaSettings(
                        env.optional(KAFKA_BOOTSTRAP),
                        env.port(KAFKA_PORT, DEFAULT_KAFKA_PORT),
                        env.integer(TOPIC_PARTITIONS, DEFAULT_TOPIC_PARTITIONS, 1, 1_000),
                        env.choice(TOPICS_MODE, TopicsMode.class, DEFAULT_TOPICS_MODE),
                        KafkaSecurityVariables.read(env),
                        env.file(KAFKA_PROPERTIES_FILE),
                        env.string(INSTANCE_ID, defaultInstanceId())),
                new HttpSettings(
                        env.string(HTTP_HOST, DEFAULT_HTTP_HOST),
                        env.port(HTTP_PORT, DEFAULT_HTTP_PORT),
                        env.port(METRICS_PORT, DEFAULT_METRICS_PORT),
                        Duration.ofMillis(env.integer(SHUTDOWN_DELAY_MS, DEFAULT_SHUTDOWN_DELAY_MS, 0, 20_000)),
                        env.bool(CONSOLE, DEFAULT_CONSOLE)),
                new PgSettings(
                        env.optional(PG_URL),
                        env.port(PG_PORT, DEFAULT_PG_PORT),
                        env.string(PG_TABLE, DEFAULT_PG_TABLE),
                        env.optional(PG_USER),
                        env.secret(PG_PASSWORD, PG_PASSWORD_FILE),
                        env.optional(PG_SSLMODE).map(mode -> env.choice(PG_SSLMODE, PgSslMode.class, PgSslMode.PREFER)),
                        env.file(PG_SSLROOTCERT),
                        env.integer(PG_EF_SEARCH, DEFAULT_PG_EF_SEARCH, 1, MAX_PG_EF_SEARCH),
                        hnswBuild(env)),
                embedding,
                env.integer(CHUNK_SIZE_TOKENS, DEFAULT_CHUNK_SIZE_TOKENS, 16, 8_192),
                env.integer(CHUNK_OVERLAP_TOKENS, DEFAULT_CHUNK_OVERLAP_TOKENS, 0, 4_096),
                env.integer(EMBED_BATCH_SIZE, EmbeddingVariables.defaultBatchSize(embedding), 1, 4_096),
                env.integer(EMBED_LINGER_MS, DEFAULT_EMBED_LINGER_MS, 1, 60_000),
                env.integer(SINK_BATCH_SIZE, DEFAULT_SINK_BATCH_SIZE, 1, 100_000),
                env.integer(SINK_LINGER_MS, DEFAULT_SINK_LINGER_MS, 1, 60_000),
                env.integer(MAX_DOCUMENT_BYTES, DEFAULT_MAX_DOCUMENT_BYTES, 1_024, 64 * 1024 * 1024),
                env.integer(MAX_REQUEST_BYTES, DEFAULT_MAX_REQUEST_BYTES, 1_024, 16 * 1024 * 1024),
                env.integer(MAX_TOP_K, DEFAULT_MAX_TOP_K, 1, 1_000),
                new DocumentRoutesSettings(
                        env.bool(UPLOADS, true),
                        env.integer(REJECTIONS_KEPT, DEFAULT_REJECTIONS_KEPT, 0, 1_000_000),
                        Duration.ofSeconds(env.integer(REJECTIONS_LOOKBACK_S, DEFAULT_REJECTIONS_LOOKBACK_S, 0,
                                90 * 24 * 3600))),
                env.optional(QDRANT_URL).map(url -> new QdrantSettings(url, env.secret(QDRANT_API_KEY, QDRANT_API_KEY_FILE),
                        env.string(QDRANT_COLLECTION, DEFAULT_QDRANT_COLLECTION),
                        env.integer(QDRANT_TIMEOUT_MS, DEFAULT_QDRANT_TIMEOUT_MS, 100, 600_000))),
                new SearchSettings(
                        env.decimal(SHADOW_SAMPLE_RATE, DEFAULT_SHADOW_SAMPLE_RATE, 0.0, 1.0),
                        env.integer(SHADOW_TIMEOUT_MS, DEFAULT_SHADOW_TIMEOUT_MS, 1, 60_000),
                        env.integer(PRIMARY_TIMEOUT_MS, DEFAULT_PRIMARY_TIMEOUT_MS, 1, 60_000),
                        env.choice(SEARCH_MODE, SearchMode.class, DEFAULT_SEARCH_MODE),
                        env.string(KEYWORD_LANGUAGE, DEFAULT_KEYWORD_LANGUAGE).trim().toLowerCase(java.util.Locale.ROOT)),
                env.integer(RECONCILE_INTERVAL_S, DEFAULT_RECONCILE_INTERVAL_S, 0, 86_400),
                LlmVariables.read(env),
                RerankVariables.read(env),
                s3,
                new ExtractionSettings(
                        env.integer(PARSE_TIMEOUT_MS, DEFAULT_PARSE_TIMEOUT_MS, 100, 120_000),
                        env.integer(MAX_EXTRACTED_CHARS, DEFAULT_MAX_EXTRACTED_CHARS, 1_000, 200_000_000),
                        env.integer(MAX_COMPRESSION_RATIO, DEFAULT_MAX_COMPRESSION_RATIO, 2, 100_000)),
                ConnectorVariables.read(env, s3),
                AuthVariables.read(env));
    }

    private static HnswBuild hnswBuild(Env env) {
        int m = env.integer(PG_HNSW_M, HnswBuild.DEFAULT.m(), HnswBuild.MIN_M, HnswBuild.MAX_M);
        return new HnswBuild(m, env.integer(PG_HNSW_EF_CONSTRUCTION, Math.max(HnswBuild.DEFAULT.efConstruction(),
                2 * m), HnswBuild.MIN_EF_CONSTRUCTION, HnswBuild.MAX_EF_CONSTRUCTION));
    }

    /** The host name: stable across restarts of one machine or pod, different between replicas. */
    private static String defaultInstanceId() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "faro";
        }
    }

    /** These settings with the embedded broker's, the gateway's and the private PostgreSQL's ports replaced. */
    public FaroConfig withPorts(int kafkaPort, int httpPort, int pgPort) {
        KafkaSettings k = new KafkaSettings(kafka.bootstrap(), kafkaPort, kafka.topicPartitions(), kafka.topicsMode(),
                kafka.security(), kafka.propertiesFile(), kafka.instanceId());
        HttpSettings h = new HttpSettings(http.host(), httpPort, http.managementPort(), http.shutdownDelay(),
                http.console());
        PgSettings p = new PgSettings(pg.url(), pgPort, pg.table(), pg.user(), pg.password(), pg.sslMode(),
                pg.sslRootCert(), pg.efSearch(), pg.hnsw());
        return with(k, h, p);
    }

    /** These settings with authentication replaced, the rest kept. */
    public FaroConfig withAuth(AuthSettings auth) {
        return new FaroConfig(home, kafka, http, pg, embedding, chunkSizeTokens, chunkOverlapTokens,
                embedBatchSize, embedLingerMs, sinkBatchSize, sinkLingerMs, maxDocumentBytes, maxRequestBytes, maxTopK,
                documents, qdrant, search, reconcileIntervalS, llm, rerank, s3, extraction, connectors, auth);
    }

    /** These settings with Kafka, HTTP and PostgreSQL replaced, the rest kept. */
    public FaroConfig with(KafkaSettings kafka, HttpSettings http, PgSettings pg) {
        return new FaroConfig(home, kafka, http, pg, embedding, chunkSizeTokens, chunkOverlapTokens,
                embedBatchSize, embedLingerMs, sinkBatchSize, sinkLingerMs, maxDocumentBytes, maxRequestBytes, maxTopK,
                documents, qdrant, search, reconcileIntervalS, llm, rerank, s3, extraction, connectors, auth);
    }
}
