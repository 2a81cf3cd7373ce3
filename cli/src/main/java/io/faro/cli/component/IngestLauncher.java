package io.faro.cli.component;

import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.topic.Topics;
import io.faro.topology.ingest.IngestTopology;
import io.faro.topology.runtime.Backpressure;

/** The ingest component: {@code faro.documents} to chunks and embeddings, the {@code faro-ingest} application. */
public final class IngestLauncher {

    private IngestLauncher() {
    }

    public static void start(Platform platform) {
        FaroConfig config = platform.config();
        // loaded now rather than on the first record
        Embedder embedder = platform.embedders().get(config.embedding().model());
        Backpressure backpressure = new Backpressure();
        backpressure.bind(platform.startStreams(IngestTopology.APPLICATION_ID,
                IngestTopology.build(config, embedder, backpressure, platform.meters()),
                IngestTopology.streamsConfig(config), Topics.DOCUMENTS.name()));
    }
}
