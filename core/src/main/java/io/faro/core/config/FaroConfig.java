package io.faro.core.config;

import io.faro.core.embed.EmbeddingModelName;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Every setting of FARO, read once from {@code FARO_*} environment variables. Each variable is
 * declared here and only here, with its default; the README's configuration table mirrors this class.
 */
public record FaroConfig(
        Path home,
        Optional<String> kafkaBootstrap,
        int kafkaPort,
        int topicPartitions,
        int httpPort,
        Optional<String> pgUrl,
        int pgPort,
        String pgTable,
        EmbeddingModelName embeddingModel,
        int chunkSizeTokens,
        int chunkOverlapTokens,
        int embedBatchSize,
        int embedLingerMs,
        int sinkBatchSize,
        int sinkLingerMs,
        int maxDocumentBytes,
        int maxRequestBytes,
        int maxTopK,
        Optional<QdrantSettings> qdrant,
        SearchSettings search,
        String instanceId,
        int reconcileIntervalS,
        int metricsPort) {

    /** Where Qdrant is, when it is used at all ({@code FARO_QDRANT_URL} set). */
    public record QdrantSettings(String url, Optional<String> apiKey, String collection, int timeoutMs) {
    }

    /** How the gateway searches the primary store and measures the shadow. */
    public record SearchSettings(double shadowSampleRate, int shadowTimeoutMs, int primaryTimeoutMs) {
    }

    public static final String HOME = "FARO_HOME";
    public static final String KAFKA_BOOTSTRAP = "FARO_KAFKA_BOOTSTRAP";
    public static final String KAFKA_PORT = "FARO_KAFKA_PORT";
    public static final String TOPIC_PARTITIONS = "FARO_TOPIC_PARTITIONS";
    public static final String HTTP_PORT = "FARO_HTTP_PORT";
    public static final String PG_URL = "FARO_PG_URL";
    public static final String PG_PORT = "FARO_PG_PORT";
    public static final String PG_TABLE = "FARO_PG_TABLE";
    public static final String EMBEDDING_MODEL = "FARO_EMBEDDING_MODEL";
    public static final String CHUNK_SIZE_TOKENS = "FARO_CHUNK_SIZE_TOKENS";
    public static final String CHUNK_OVERLAP_TOKENS = "FARO_CHUNK_OVERLAP_TOKENS";
    public static final String EMBED_BATCH_SIZE = "FARO_EMBED_BATCH_SIZE";
    public static final String EMBED_LINGER_MS = "FARO_EMBED_LINGER_MS";
    public static final String SINK_BATCH_SIZE = "FARO_SINK_BATCH_SIZE";
    public static final String SINK_LINGER_MS = "FARO_SINK_LINGER_MS";
    public static final String MAX_DOCUMENT_BYTES = "FARO_MAX_DOCUMENT_BYTES";
    public static final String MAX_REQUEST_BYTES = "FARO_MAX_REQUEST_BYTES";
    public static final String MAX_TOP_K = "FARO_MAX_TOP_K";
    public static final String QDRANT_URL = "FARO_QDRANT_URL";
    public static final String QDRANT_API_KEY = "FARO_QDRANT_API_KEY";
    public static final String QDRANT_COLLECTION = "FARO_QDRANT_COLLECTION";
    public static final String QDRANT_TIMEOUT_MS = "FARO_QDRANT_TIMEOUT_MS";
    public static final String SHADOW_SAMPLE_RATE = "FARO_SHADOW_SAMPLE_RATE";
    public static final String SHADOW_TIMEOUT_MS = "FARO_SHADOW_TIMEOUT_MS";
    public static final String PRIMARY_TIMEOUT_MS = "FARO_PRIMARY_TIMEOUT_MS";
    public static final String INSTANCE_ID = "FARO_INSTANCE_ID";
    public static final String RECONCILE_INTERVAL_S = "FARO_RECONCILE_INTERVAL_S";
    public static final int DEFAULT_RECONCILE_INTERVAL_S = 300;
    /** Where {@code faro run} serves {@code /metrics} when it runs no gateway (with one, the gateway's port serves it). */
    public static final String METRICS_PORT = "FARO_METRICS_PORT";
    public static final int DEFAULT_METRICS_PORT = 9464;

    public static final String DEFAULT_HOME = "./.faro";
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_TOPIC_PARTITIONS = 3;
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_PG_PORT = 5433;
    public static final String DEFAULT_PG_TABLE = "faro_chunks";
    public static final EmbeddingModelName DEFAULT_EMBEDDING_MODEL = EmbeddingModelName.ALL_MINILM_L6_V2;
    public static final int DEFAULT_CHUNK_SIZE_TOKENS = 200;
    public static final int DEFAULT_CHUNK_OVERLAP_TOKENS = 20;
    public static final int DEFAULT_EMBED_BATCH_SIZE = 32;
    public static final int DEFAULT_EMBED_LINGER_MS = 50;
    public static final int DEFAULT_SINK_BATCH_SIZE = 256;
    public static final int DEFAULT_SINK_LINGER_MS = 100;
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 900 * 1024;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_TOP_K = 50;
    public static final String DEFAULT_QDRANT_COLLECTION = "faro_chunks";
    public static final int DEFAULT_QDRANT_TIMEOUT_MS = 10_000;
    public static final double DEFAULT_SHADOW_SAMPLE_RATE = 1.0;
    public static final int DEFAULT_SHADOW_TIMEOUT_MS = 500;
    public static final int DEFAULT_PRIMARY_TIMEOUT_MS = 1_000;

    public FaroConfig {
        if (chunkOverlapTokens >= chunkSizeTokens) {
            throw new ConfigException(CHUNK_OVERLAP_TOKENS + "=" + chunkOverlapTokens
                    + " must be smaller than " + CHUNK_SIZE_TOKENS + "=" + chunkSizeTokens);
        }
        // 32 characters leave room for the suffixes of rebuild copies within PostgreSQL's 63.
        if (!pgTable.matches("[a-z_][a-z0-9_]{0,31}")) {
            throw new ConfigException(PG_TABLE + "=" + pgTable
                    + " must be a lower-case SQL identifier (letters, digits, underscore) of at most 32 characters");
        }
    }

    public static FaroConfig fromEnv() {
        return from(Env.system());
    }

    public static FaroConfig from(Env env) {
        return new FaroConfig(
                env.path(HOME, DEFAULT_HOME).toAbsolutePath().normalize(),
                env.optional(KAFKA_BOOTSTRAP),
                env.port(KAFKA_PORT, DEFAULT_KAFKA_PORT),
                env.integer(TOPIC_PARTITIONS, DEFAULT_TOPIC_PARTITIONS, 1, 1_000),
                env.port(HTTP_PORT, DEFAULT_HTTP_PORT),
                env.optional(PG_URL),
                env.port(PG_PORT, DEFAULT_PG_PORT),
                env.string(PG_TABLE, DEFAULT_PG_TABLE),
                EmbeddingModelName.parse(env.string(EMBEDDING_MODEL, DEFAULT_EMBEDDING_MODEL.id()), EMBEDDING_MODEL),
                env.integer(CHUNK_SIZE_TOKENS, DEFAULT_CHUNK_SIZE_TOKENS, 16, 8_192),
                env.integer(CHUNK_OVERLAP_TOKENS, DEFAULT_CHUNK_OVERLAP_TOKENS, 0, 4_096),
                env.integer(EMBED_BATCH_SIZE, DEFAULT_EMBED_BATCH_SIZE, 1, 4_096),
                env.integer(EMBED_LINGER_MS, DEFAULT_EMBED_LINGER_MS, 1, 60_000),
                env.integer(SINK_BATCH_SIZE, DEFAULT_SINK_BATCH_SIZE, 1, 100_000),
                env.integer(SINK_LINGER_MS, DEFAULT_SINK_LINGER_MS, 1, 60_000),
                env.integer(MAX_DOCUMENT_BYTES, DEFAULT_MAX_DOCUMENT_BYTES, 1_024, 64 * 1024 * 1024),
                env.integer(MAX_REQUEST_BYTES, DEFAULT_MAX_REQUEST_BYTES, 1_024, 16 * 1024 * 1024),
                env.integer(MAX_TOP_K, DEFAULT_MAX_TOP_K, 1, 1_000),
                env.optional(QDRANT_URL).map(url -> new QdrantSettings(url, env.optional(QDRANT_API_KEY),
                        env.string(QDRANT_COLLECTION, DEFAULT_QDRANT_COLLECTION),
                        env.integer(QDRANT_TIMEOUT_MS, DEFAULT_QDRANT_TIMEOUT_MS, 100, 600_000))),
                new SearchSettings(
                        env.decimal(SHADOW_SAMPLE_RATE, DEFAULT_SHADOW_SAMPLE_RATE, 0.0, 1.0),
                        env.integer(SHADOW_TIMEOUT_MS, DEFAULT_SHADOW_TIMEOUT_MS, 1, 60_000),
                        env.integer(PRIMARY_TIMEOUT_MS, DEFAULT_PRIMARY_TIMEOUT_MS, 1, 60_000)),
                env.string(INSTANCE_ID, defaultInstanceId()),
                env.integer(RECONCILE_INTERVAL_S, DEFAULT_RECONCILE_INTERVAL_S, 0, 86_400),
                env.port(METRICS_PORT, DEFAULT_METRICS_PORT));
    }

    /** The host name: stable across restarts of one machine or pod, different between replicas. */
    private static String defaultInstanceId() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "faro";
        }
    }

    /** The Kafka bootstrap servers: the given cluster, or the embedded broker's port. */
    public String bootstrapServers() {
        return kafkaBootstrap.orElse("localhost:" + kafkaPort);
    }

    public FaroConfig withPorts(int kafkaPort, int httpPort, int pgPort) {
        return new FaroConfig(home, kafkaBootstrap, kafkaPort, topicPartitions, httpPort, pgUrl, pgPort, pgTable,
                embeddingModel, chunkSizeTokens, chunkOverlapTokens, embedBatchSize, embedLingerMs, sinkBatchSize,
                sinkLingerMs, maxDocumentBytes, maxRequestBytes, maxTopK, qdrant, search, instanceId,
                reconcileIntervalS, metricsPort);
    }
}
