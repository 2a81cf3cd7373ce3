package io.faro.cli.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.cli.component.Components;
import io.faro.core.Component;
import io.faro.core.config.Env;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.Json;
import io.faro.devstack.LocalPostgres;
import io.faro.devstack.testing.TestPostgres;
import io.faro.core.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lag and freshness as an operator sees them, from {@code faro run ingest sink-pgvector} on
 * {@code FARO_METRICS_PORT}: while PostgreSQL is down the pgvector sink falls behind (records and seconds)
 * and the ingest stage, idle and caught up, reads 0; once PostgreSQL is back the sink catches up, its lag
 * returns to 0, and freshness records how long the documents waited.
 */
class LagAndFreshnessIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int DOCUMENTS = 20;
    private static final Map<String, String> INGEST = Map.of("group", "faro-ingest", "topic", "faro.documents");
    private static final Map<String, String> SINK = Map.of("group", "faro-sink-pgvector", "topic", "faro.embeddings");
    private static final Map<String, String> PGVECTOR = Map.of("store", "pgvector");

    private static EmbeddedKafkaBroker broker;
    private static Path pgDir;
    private static int pgPort;
    private static LocalPostgres postgres;
    private static Components faro;

    @BeforeAll
    static void start() {
        Path home = TestPostgres.tempDirOthersCanEnter("faro-lag-");
        broker = EmbeddedKafkaBroker.start(home.resolve("kafka"), TestPostgres.freePort());
        pgDir = TestPostgres.tempDirOthersCanEnter("faro-lag-pg-").resolve("data");
        pgPort = TestPostgres.freePort();
        postgres = LocalPostgres.start(pgDir, pgPort);
        faro = Components.start(FaroConfig.from(Env.of(Map.of(
                FaroConfig.HOME, home.toString(),
                FaroConfig.KAFKA_BOOTSTRAP, broker.bootstrapServers(),
                FaroConfig.PG_URL, postgres.url(),
                FaroConfig.METRICS_PORT, "0",
                // a small buffer, so that the sink stops consuming soon after PostgreSQL stops answering
                FaroConfig.SINK_BATCH_SIZE, "2",
                FaroConfig.SINK_LINGER_MS, "50",
                FaroConfig.TOPIC_PARTITIONS, "2"))),
                EnumSet.of(Component.INGEST, Component.SINK_PGVECTOR));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {faro, postgres, broker}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @Test
    void shouldServeMetricsOnTheMetricsPortWithoutAGateway() {
        assertThatThrownBy(faro::gatewayUrl).isInstanceOf(IllegalStateException.class);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Scrape scrape = scrape();
            assertThat(scrape.has("jvm_memory_used_bytes")).isTrue();
            assertThat(scrape.has("kafka_stream_client_state")).isTrue();
            assertThat(scrape.sum("faro_consumer_lag_records", INGEST)).isZero();
            assertThat(scrape.sum("faro_consumer_lag_records", SINK)).isZero();
        });
    }

    @Test
    void shouldShowTheSinkFallingBehindWhileItsStoreIsDownAndCatchingUpAfter() throws Exception {
        // given PostgreSQL down, and documents published at once
        postgres.close();
        Instant published;
        try {
            publish();
            published = Instant.now();

            // then the pgvector sink falls behind in records and seconds, and holds what it could not write,
            // while the ingest stage, caught up and idle, is 0 behind
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Scrape scrape = scrape();
                assertThat(scrape.sum("faro_consumer_lag_records", SINK)).isPositive();
                assertThat(scrape.sum("faro_consumer_lag_seconds", SINK)).isGreaterThanOrEqualTo(3.0);
                assertThat(scrape.sum("faro_sink_buffered_records", PGVECTOR)).isPositive();
                assertThat(scrape.sum("faro_consumer_lag_records", INGEST)).isZero();
                assertThat(scrape.sum("faro_consumer_lag_seconds", INGEST)).isZero();
                assertThat(Instant.now()).isAfter(published.plusSeconds(3));
            });
            assertThat(scrape().sum("faro_freshness_seconds_count", PGVECTOR)).isZero();
        } finally {
            postgres = LocalPostgres.start(pgDir, pgPort);
        }

        // when PostgreSQL is back, the sink catches up: nothing behind, nothing held
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Scrape scrape = scrape();
            assertThat(scrape.sum("faro_consumer_lag_records", SINK)).isZero();
            assertThat(scrape.sum("faro_consumer_lag_seconds", SINK)).isZero();
            assertThat(scrape.sum("faro_sink_buffered_records", PGVECTOR)).isZero();
            // at least: a chunk written again after a replay counts again
            assertThat(scrape.sum("faro_freshness_seconds_count", PGVECTOR)).isGreaterThanOrEqualTo(DOCUMENTS);
        });

        // then freshness says every chunk became searchable more than 2 s after its publication
        Scrape scrape = scrape();
        assertThat(scrape.sum("faro_freshness_seconds_bucket", Map.of("store", "pgvector", "le", "2.0"))).isZero();
        assertThat(scrape.sum("faro_freshness_seconds_sum", PGVECTOR) / scrape.sum("faro_freshness_seconds_count", PGVECTOR))
                .isGreaterThanOrEqualTo(3.0);
    }

    private static void publish() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < DOCUMENTS; i++) {
                String id = "lag-" + i;
                producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), id, Json.mapper().writeValueAsString(
                        Map.of("id", id, "text", "Short note number " + i + " about lighthouses and tides."))));
            }
            producer.flush();
        }
    }

    private static Scrape scrape() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(faro.metricsUrl())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return Scrape.parse(response.body());
    }
}
