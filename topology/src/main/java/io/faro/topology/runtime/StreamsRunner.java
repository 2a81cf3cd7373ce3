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
public final class StreamsRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

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

    public String name() {
        return name;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        // Leave the group on the way out, so a restart does not wait a session timeout for this member.
        streams.close(new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(true));
        metrics.close();
    }
}
