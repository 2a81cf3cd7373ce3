package io.faro.topology.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one Kafka Streams application: a failed stream thread is logged and replaced, never left dead. */
public final class StreamsRunner implements AutoCloseable, Backpressure.Pausable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);
    /** Long enough to commit what is in hand; short enough that a stopping pod exits well within 30 s. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

    private final String name;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics metrics;

    public StreamsRunner(String name, Topology topology, Properties props, MeterRegistry meters) {
        this.name = name;
        this.streams = new KafkaStreams(topology, props);
        this.streams.setUncaughtExceptionHandler(e -> {
            LOG.error("{}: stream thread failed, replacing it (uncommitted work is redone): {}", name, e.toString(), e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        this.streams.setStateListener((now, before) -> LOG.info("{}: {} -> {}", name, before, now));
        this.metrics = new KafkaStreamsMetrics(streams);
        this.metrics.bindTo(meters);
    }

    public void start() {
        streams.start();
    }

    /** Stops processing (the application still polls, commits and heartbeats) until {@link #resume()}. */
    @Override
    public void pause() {
        streams.pause();
    }

    @Override
    public void resume() {
        streams.resume();
    }

    public String name() {
        return name;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Processing, or sharing out partitions with the other replicas, which it does on its own. */
    public boolean isReady() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    }

    /** False once the application has failed for good: only a restart of the process brings it back. */
    public boolean isAlive() {
        KafkaStreams.State state = streams.state();
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
    }

    @Override
    public void close() {
        // Leave the group on the way out, so the other replicas take its partitions at once instead of after a
        // session timeout, and a restart of this instance is not mistaken for the old member.
        boolean closed = streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true));
        LOG.info("{}: {} and left the group", name, closed ? "closed" : "not closed within " + CLOSE_TIMEOUT.toSeconds() + " s");
        metrics.close();
    }
}
