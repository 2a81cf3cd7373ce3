package io.faro.core.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lag of consumer groups as gauges ({@code faro_consumer_lag_records}, {@code faro_consumer_lag_seconds}),
 * measured in the background every interval; a scrape reads the last measurement. A group whose lag
 * cannot be measured (Kafka unreachable) reports NaN until it can.
 */
public final class ConsumerLagGauges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagGauges.class);
    private static final ConsumerLag.Lag UNKNOWN = new ConsumerLag.Lag(-1, Double.NaN);

    /** A consumer group and the topic it reads. */
    public record Watched(String group, String topic) {
    }

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("consumer-lag").factory());
    private final Map<Watched, ConsumerLag.Lag> last = new ConcurrentHashMap<>();
    private final ConsumerLag lag;

    public ConsumerLagGauges(ConsumerLag lag, List<Watched> watched, MeterRegistry meters, Duration interval) {
        this.lag = lag;
        for (Watched w : watched) {
            last.put(w, UNKNOWN);
            Gauge.builder(MetricNames.CONSUMER_LAG_RECORDS, last, l -> records(l.get(w)))
                    .description("Records of the topic the consumer group has not consumed yet")
                    .tag(MetricNames.TAG_GROUP, w.group()).tag(MetricNames.TAG_TOPIC, w.topic())
                    .register(meters);
            Gauge.builder(MetricNames.CONSUMER_LAG_SECONDS, last, l -> l.get(w).seconds())
                    .description("Age of the oldest record the consumer group has not consumed yet; 0 when caught up")
                    .tag(MetricNames.TAG_GROUP, w.group()).tag(MetricNames.TAG_TOPIC, w.topic())
                    .register(meters);
        }
        scheduler.scheduleWithFixedDelay(() -> watched.forEach(this::refresh), 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static double records(ConsumerLag.Lag lag) {
        return lag.records() < 0 ? Double.NaN : lag.records();
    }

    private void refresh(Watched w) {
        try {
            last.put(w, lag.measure(w.group(), w.topic(), System.currentTimeMillis()));
        } catch (RuntimeException e) {
            LOG.debug("lag of {} on {} not measured: {}", w.group(), w.topic(), e.toString());
            last.put(w, UNKNOWN);
        }
    }

    @Override
    public void close() {
        scheduler.shutdown();
        try {
            // Let a measurement in progress finish: the consumer must not be closed under it.
            scheduler.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lag.close();
    }
}
