package io.faro.cli.component;

import io.faro.core.store.StoreKind;
import io.faro.core.store.VectorStore;
import io.faro.core.topic.Topics;
import io.faro.gateway.health.ReadinessCheck;
import io.faro.topology.sink.StoreSinkTopology;

/**
 * A sink component: keeps one store in step with {@code faro.embeddings}, the {@code faro-sink-<store>}
 * application. It is ready when its store answers; it loads a model only if {@code faro reembed} switches
 * its store while records of the old model are on their way.
 */
public final class SinkLauncher {

    private SinkLauncher() {
    }

    public static void start(Platform platform, StoreKind kind) {
        VectorStore store = platform.store(kind);
        platform.health().ready(ReadinessCheck.critical(store.name(), store::isReachable));
        platform.startStreams(StoreSinkTopology.applicationId(store),
                StoreSinkTopology.build(platform.config(), store, platform.embedders(), platform.meters()),
                StoreSinkTopology.streamsConfig(platform.config(), store), Topics.EMBEDDINGS.name());
    }
}
