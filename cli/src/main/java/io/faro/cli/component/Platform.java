package io.faro.cli.component;

import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedders;
import io.faro.core.metrics.ConsumerLag;
import io.faro.core.metrics.ConsumerLagGauges;
import io.faro.core.metrics.StoreSizeGauges;
import io.faro.core.store.StoreKind;
import io.faro.core.store.VectorStore;
import io.faro.gateway.health.Health;
import io.faro.gateway.health.ReadinessCheck;
import io.faro.s3.S3Clients;
import io.faro.stores.StoreFactory;
import io.faro.topology.runtime.StreamsRunner;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the components of one process share: the configuration, the meter registry, the embedding models,
 * the stores (each opened once), the health checks, and the order things stop in. Stopping goes: not
 * ready first, a pause for load balancers to notice ({@code FARO_SHUTDOWN_DELAY_MS}), the front (the
 * gateway, letting requests in flight finish), the stream applications (each commits and leaves its
 * group), then everything else in reverse order of start.
 */
public final class Platform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
    private static final Duration LAG_INTERVAL = Duration.ofSeconds(5);
    private static final Duration STORE_SIZE_INTERVAL = Duration.ofSeconds(15);

    private final FaroConfig config;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Embedders embedders;
    private final Health health = new Health();
    private final Map<StoreKind, VectorStore> stores = new EnumMap<>(StoreKind.class);
    private final List<StreamsRunner> runners = new ArrayList<>();
    private final List<ConsumerLagGauges.Watched> lagWatched = new ArrayList<>();
    private final Deque<AutoCloseable> front = new ArrayDeque<>();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private S3Client s3;

    Platform(FaroConfig config, EmbeddingModels models) {
        this.config = config;
        this.embedders = models.open(config, meters);
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics(), new JvmInfoMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())
                .forEach(binder -> binder.bindTo(meters));
    }

    public FaroConfig config() {
        return config;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public Embedders embedders() {
        return embedders;
    }

    public Health health() {
        return health;
    }

    /** The store of this kind, opened on first use and closed with the platform. */
    public synchronized VectorStore store(StoreKind kind) {
        return stores.computeIfAbsent(kind, k -> {
            VectorStore store = StoreFactory.open(config, k);
            started.push(store);
            return store;
        });
    }

    /**
     * FARO's S3 client ({@code FARO_S3_*}), made on first use and closed with the platform, after the parts that
     * use it.
     *
     * @param user what needs it, named when S3 is off
     */
    public synchronized S3Client s3(String user) {
        if (s3 == null) {
            s3 = S3Clients.create(config.s3().orElseThrow(() -> new ConfigException(user + " needs S3: set "
                    + FaroConfig.S3_BUCKET + " (and " + FaroConfig.S3_ENDPOINT + " for an S3-compatible server)")));
            started.push(s3);
        }
        return s3;
    }

    /** Measures the lag of a consumer group on its input topic, as that of every stream application is. */
    void watchLag(String group, String topic) {
        lagWatched.add(new ConsumerLagGauges.Watched(group, topic));
    }

    /**
     * Starts a Kafka Streams application: it must be running or rebalancing for the process to be ready, it
     * must not have failed for good for the process to be live, and its lag on {@code inputTopic} is measured.
     */
    public StreamsRunner startStreams(String applicationId, Topology topology, Properties props, String inputTopic) {
        StreamsRunner runner = new StreamsRunner(applicationId, topology, props, meters);
        runners.add(runner);
        health.ready(ReadinessCheck.critical(applicationId, runner::isReady))
                .live(ReadinessCheck.critical(applicationId, runner::isAlive));
        lagWatched.add(new ConsumerLagGauges.Watched(applicationId, inputTopic));
        runner.start();
        return runner;
    }

    /** Stopped before the stream applications: what takes requests from outside. */
    void addFront(AutoCloseable closeable) {
        front.push(closeable);
    }

    /** Stopped after the stream applications, in reverse order of adding. */
    public void add(AutoCloseable closeable) {
        started.push(closeable);
    }

    /** Gauges over what the components started: their lag, and the size of the stores they opened. */
    void startGauges() {
        if (!lagWatched.isEmpty()) {
            started.push(new ConsumerLagGauges(new ConsumerLag(config.kafka()), List.copyOf(lagWatched), meters,
                    LAG_INTERVAL));
        }
        if (!stores.isEmpty()) {
            started.push(new StoreSizeGauges(List.copyOf(stores.values()), meters, STORE_SIZE_INTERVAL));
        }
    }

    /** Waits until every stream application runs, so the start-up line comes when the work can flow. */
    void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!runners.stream().allMatch(StreamsRunner::isRunning)) {
            if (System.nanoTime() > deadline) {
                LOG.warn("stream applications not yet running after {} s; continuing", timeout.toSeconds());
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        health.stopping();
        Duration delay = config.http().shutdownDelay();
        if (!delay.isZero() && !front.isEmpty()) {
            LOG.info("not ready; stopping in {} ms, once load balancers have noticed", delay.toMillis());
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeAll(front);
        for (StreamsRunner runner : runners.reversed()) {
            closeQuietly(runner);
        }
        runners.clear();
        closeAll(started);
    }

    private static void closeAll(Deque<AutoCloseable> closeables) {
        while (!closeables.isEmpty()) {
            closeQuietly(closeables.pop());
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("stopping {}: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }
}
