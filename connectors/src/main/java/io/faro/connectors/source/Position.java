package io.faro.connectors.source;

import io.faro.core.config.S3Location;
import io.faro.core.json.JsonSerde;
import io.faro.core.kafka.KafkaSettings;
import io.faro.core.topic.Topics;
import io.faro.maintenance.replay.TopicReplay;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * How far the source has come: the state of every object it has published, by {@code s3://} URI, as the state
 * topic holds it. It is read whole from the topic when a replica starts to list (after its producer fenced any
 * former lister, so no transaction is left open), and moved on only by changes whose transaction committed.
 * Sorted, so the objects under one location are one range.
 */
final class Position {

    private static final int BATCH = 1_000;
    private static final Deserializer<ObjectState> STATES = JsonSerde.of(ObjectState.class).deserializer();

    private final NavigableMap<String, ObjectState> objects = new TreeMap<>();

    /** The position the state topic holds now (committed records only). */
    static Position load(KafkaSettings kafka) {
        Position position = new Position();
        String topic = Topics.S3_SOURCE_STATE.name();
        try (TopicReplay replay = new TopicReplay(kafka, topic, BATCH, progress -> { })) {
            replay.pass("read " + topic, batch -> batch.forEach((uri, value) -> {
                if (value == null) {
                    position.objects.remove(uri);
                } else {
                    position.objects.put(uri, STATES.deserialize(topic, value));
                }
            }));
        }
        return position;
    }

    Optional<ObjectState> get(String uri) {
        return Optional.ofNullable(objects.get(uri));
    }

    /** The URIs of the objects known under a location. */
    List<String> under(S3Location location) {
        String start = location.uri();
        List<String> uris = new ArrayList<>();
        for (String uri : objects.tailMap(start, true).keySet()) {
            if (!uri.startsWith(start)) {
                break;
            }
            uris.add(uri);
        }
        return uris;
    }

    /** Moves on by changes that are committed. */
    void apply(List<Change> changes) {
        for (Change change : changes) {
            switch (change) {
                case Change.Upsert upsert -> objects.put(upsert.uri(), upsert.state());
                case Change.Delete delete -> objects.remove(delete.uri());
            }
        }
    }

    int size() {
        return objects.size();
    }
}
