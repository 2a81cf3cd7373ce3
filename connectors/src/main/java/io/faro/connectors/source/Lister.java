package io.faro.connectors.source;

import io.faro.core.config.S3Location;
import io.faro.core.kafka.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The work of the replica that lists, for as long as it does: fence any former lister and read the position, then
 * scan the locations, wait the interval, scan again. A scan S3 failed is tried again after an exponential backoff
 * (up to the interval); a transaction that failed makes it fence and read the position again first, since it may
 * have committed after all. Fenced by another replica's lister, it stops and asks the group to settle who lists.
 */
final class Lister implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Lister.class);
    private static final long FIRST_RETRY_MS = 1_000;

    private final KafkaSettings kafka;
    private final S3Client s3;
    private final List<S3Location> locations;
    private final Duration interval;
    private final SourcePublisher publisher;
    private final ExecutorService requests;
    private final SourceMetrics metrics;
    private final Runnable onFenced;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    Lister(KafkaSettings kafka, S3Client s3, List<S3Location> locations, Duration interval, SourcePublisher publisher,
           ExecutorService requests, SourceMetrics metrics, Runnable onFenced) {
        this.kafka = kafka;
        this.s3 = s3;
        this.locations = locations;
        this.interval = interval;
        this.publisher = publisher;
        this.requests = requests;
        this.metrics = metrics;
        this.onFenced = onFenced;
    }

    @Override
    public void run() {
        metrics.leading(true);
        try {
            lead();
        } finally {
            metrics.leading(false);
            stopped.countDown();
        }
    }

    private void lead() {
        BackOffExecution backOff = backOff();
        while (listing()) {
            Position position;
            try {
                publisher.fence();
                position = Position.load(kafka);
            } catch (RuntimeException e) {
                if (fenced(e)) {
                    return;
                }
                LOG.warn("the S3 source cannot take up its position from Kafka: {}", e.getMessage());
                if (!pause(backOff.nextBackOff())) {
                    return;
                }
                continue;
            }
            metrics.position(position.size());
            LOG.info("the S3 source lists {} every {} ms, from a position of {} objects", locations,
                    interval.toMillis(), position.size());
            BucketScan scan = new BucketScan(s3, position, publisher, requests, this::listing, metrics);
            while (listing()) {
                long start = System.nanoTime();
                try {
                    scan.run(locations);
                    metrics.scanned(System.nanoTime() - start, true);
                    backOff = backOff();
                    if (!pause(interval.toMillis())) {
                        return;
                    }
                } catch (CancellationException e) {
                    return;
                } catch (BucketScan.PublishFailedException e) {
                    metrics.scanned(System.nanoTime() - start, false);
                    if (fenced(e)) {
                        return;
                    }
                    LOG.warn("{}; taking up the position from Kafka again", e.getMessage());
                    if (!pause(backOff.nextBackOff())) {
                        return;
                    }
                    break;
                } catch (RuntimeException e) {
                    metrics.scanned(System.nanoTime() - start, false);
                    LOG.warn("the scan of {} stopped: {}; trying again", locations, e.getMessage());
                    if (!pause(backOff.nextBackOff())) {
                        return;
                    }
                }
            }
        }
    }

    private BackOffExecution backOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(FIRST_RETRY_MS, 2.0);
        backOff.setMaxInterval(Math.max(FIRST_RETRY_MS, interval.toMillis()));
        return backOff.start();
    }

    /** Whether another replica's lister fenced this one's producer: then it stops for good. */
    private boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                LOG.warn("another replica of the S3 source lists now (this one's producer was fenced)");
                onFenced.run();
                return true;
            }
        }
        return false;
    }

    /** Waits, unless asked to stop; false when asked. */
    private boolean pause(long millis) {
        try {
            return !stop.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** On the lister's own thread: whether to go on. */
    private boolean listing() {
        return stop.getCount() > 0 && !Thread.currentThread().isInterrupted();
    }

    /** Whether it has stopped, asked to or not (fenced, or interrupted). */
    boolean isDone() {
        return stopped.getCount() == 0;
    }

    /** Asks it to stop between two pages, and waits until it has, at most {@code timeout}. */
    boolean stop(Duration timeout) {
        stop.countDown();
        try {
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
