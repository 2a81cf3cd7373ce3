package io.faro.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.config.FaroConfig;
import io.faro.embedders.testing.EmbeddingsStandIn;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FARO embedding through a hosted model that takes longer to answer than the ingest's Kafka transaction may
 * stay open (its shortest: the parse timeout at its least plus 30 s): every chunk reaches both stores, and
 * each is embedded once, so no transaction was aborted and no work redone.
 */
class HostedEmbeddingIT {

    private static final Duration QUIET = Duration.ofSeconds(180);
    /** The ingest's transaction timeout here: FARO_PARSE_TIMEOUT_MS (100) plus 30 s. */
    private static final Duration SLOWER_THAN_A_TRANSACTION = Duration.ofMillis(30_100 + 1_000);

    private EmbeddingsStandIn api;
    private DualStoreFaro env;

    @BeforeEach
    void start() throws Exception {
        api = EmbeddingsStandIn.start(32);
        env = DualStoreFaro.start("hosted", Map.of(
                FaroConfig.EMBEDDING_PROVIDER, "openai",
                FaroConfig.EMBEDDING_BASE_URL, api.baseUrl(),
                FaroConfig.EMBEDDING_MODEL, "text-embedding-3-small",
                FaroConfig.EMBEDDING_DIMENSION, "32",
                FaroConfig.EMBED_BATCH_SIZE, "4",
                FaroConfig.EMBED_REQUESTS_IN_FLIGHT, "2",
                FaroConfig.PARSE_TIMEOUT_MS, "100",
                // each request may take its time: the test is about the transaction, not the request's deadline
                FaroConfig.EMBED_TIMEOUT_MS, "90000"));
    }

    @AfterEach
    void stop() {
        if (env != null) {
            env.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void shouldEmbedEveryChunkExactlyOnceWhileTheModelTakesLongerThanATransactionMayLast() {
        api.latency(SLOWER_THAN_A_TRANSACTION);

        env.publish("slow", 6);
        env.assertConsistent(QUIET);

        int chunks = env.checker.liveChunks().size();
        assertThat(chunks).isGreaterThan(2 * 4);
        assertThat(api.textsAnswered()).as("texts embedded; more would mean work redone after an aborted transaction")
                .isEqualTo(chunks);
        assertThat(api.mostUnderWay()).isEqualTo(2);
        assertThat(env.pgvectorView.liveModel()).isEqualTo("openai:text-embedding-3-small");
    }
}
