package io.faro.bench.stack;

import io.faro.cli.component.EmbeddingModels;
import io.faro.cli.up.LocalFaro;
import io.faro.core.config.FaroConfig;
import io.faro.core.json.Json;
import io.faro.core.model.Document;
import io.faro.core.store.VectorStore;
import io.faro.stores.StoreFactory;
import io.faro.core.topic.Topics;
import io.faro.documents.TextExtractor;
import io.faro.topology.split.ChunkSplitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * FARO as {@code faro up} runs it (embedded broker, ingest topology, one sink per store, gateway), with
 * a producer to publish documents and a view of each store to see when the documents are searchable.
 */
public final class RunningFaro implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final FaroConfig config;
    private final LocalFaro runtime;
    private final KafkaProducer<String, String> producer;
    private final List<VectorStore> stores = new ArrayList<>();

    private RunningFaro(FaroConfig config, LocalFaro runtime) {
        this.config = config;
        this.runtime = runtime;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer());
    }

    public static RunningFaro start(FaroConfig config) {
        return start(config, EmbeddingModels.CONFIGURED);
    }

    /** With these embedding models instead of the configured ones. */
    public static RunningFaro start(FaroConfig config, EmbeddingModels models) {
        LocalFaro runtime = LocalFaro.start(config, models);
        RunningFaro faro = new RunningFaro(config, runtime);
        try {
            // views of the stores FARO writes, opened as FARO opens them (the dev stack's addresses filled in)
            StoreFactory.configured(runtime.config()).reversed()
                    .forEach(kind -> faro.stores.add(StoreFactory.open(runtime.config(), kind)));
        } catch (RuntimeException e) {
            faro.close();
            throw e;
        }
        return faro;
    }

    public FaroConfig config() {
        return config;
    }

    /** The embedded broker's address. */
    public String bootstrapServers() {
        return runtime.bootstrapServers();
    }

    public String gatewayUrl() {
        return runtime.gatewayUrl();
    }

    /** Views of the stores FARO writes (pgvector first, then Qdrant when configured). */
    public List<VectorStore> stores() {
        return stores;
    }

    /** Publishes the documents to {@code faro.documents} and waits until the broker has them all. */
    public void publish(List<Document> documents) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(documents.size());
        try {
            for (Document document : documents) {
                sent.add(producer.send(new ProducerRecord<>(Topics.DOCUMENTS.name(), document.id(),
                        Json.mapper().writeValueAsString(document))));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    /** How many chunks FARO's splitter makes of these documents. */
    public static long chunkCount(FaroConfig config, List<Document> documents) {
        ChunkSplitter splitter = new ChunkSplitter(config.chunkSizeTokens(), config.chunkOverlapTokens());
        TextExtractor extractor = new TextExtractor(config.extraction());
        return documents.stream()
                .mapToLong(document -> splitter.split(document, extractor.extract(document.content()), 0).size()).sum();
    }

    /**
     * Waits until every store holds at least {@code chunks} chunks; returns, per store in
     * {@link #stores()} order, the nanoTime at which it first did.
     *
     * <p>A count scans the store's table on the cores the pipeline runs on (a {@code count(*)} of pgvector's table
     * took 1.3 ms at 10 000 chunks), so it is asked often only near the end: between counts this waits half the time
     * the rate so far says is left, at least {@link #LEAST_BETWEEN_COUNTS} (the precision of the times returned) and
     * at most {@link #MOST_BETWEEN_COUNTS}.
     */
    public long[] awaitChunks(long chunks, Duration timeout) throws TimeoutException {
        long[] reached = new long[stores.size()];
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long first = -1;
        int left = stores.size();
        while (true) {
            long least = Long.MAX_VALUE;
            for (int i = 0; i < stores.size(); i++) {
                if (reached[i] == 0) {
                    long count = stores.get(i).count();
                    if (count >= chunks) {
                        reached[i] = System.nanoTime();
                        left--;
                    } else {
                        least = Math.min(least, count);
                    }
                }
            }
            if (left == 0) {
                return reached;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new TimeoutException("stores did not reach " + chunks + " chunks within " + timeout.toSeconds()
                        + " s: " + stores.stream().map(store -> store.name() + "=" + store.count()).toList());
            }
            first = first < 0 ? least : first;
            pause(untilNextCount(least - first, chunks - least, Duration.ofNanos(now - start)));
        }
    }

    static final Duration LEAST_BETWEEN_COUNTS = Duration.ofMillis(50);
    static final Duration MOST_BETWEEN_COUNTS = Duration.ofMillis(250);

    /** Half the time {@code left} chunks take at the rate of {@code done} in {@code elapsed}, within the bounds. */
    static Duration untilNextCount(long done, long left, Duration elapsed) {
        if (done <= 0) {
            return LEAST_BETWEEN_COUNTS.multipliedBy(2);
        }
        Duration half = Duration.ofNanos((long) (elapsed.toNanos() / (double) done * left / 2));
        return half.compareTo(LEAST_BETWEEN_COUNTS) < 0 ? LEAST_BETWEEN_COUNTS
                : half.compareTo(MOST_BETWEEN_COUNTS) > 0 ? MOST_BETWEEN_COUNTS : half;
    }

    /** The value of a metric on the gateway's /metrics (summed over its labels), or 0 when absent. */
    public double metric(String name) {
        return metric(name, "");
    }

    /** The value of a metric summed over the label sets that contain {@code labels}, e.g. {@code store="qdrant"}. */
    public double metric(String name, String labels) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(gatewayUrl() + "/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines()
                    .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                    .filter(line -> line.contains(labels))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading metrics", e);
        }
    }

    public Optional<VectorStore> store(String name) {
        return stores.stream().filter(store -> store.name().equals(name)).findFirst();
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        stores.forEach(VectorStore::close);
        runtime.close();
    }
}
