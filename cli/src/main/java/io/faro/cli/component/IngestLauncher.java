package io.faro.cli.component;

import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.S3Settings;
import io.faro.core.embed.Embedder;
import io.faro.core.topic.Topics;
import io.faro.s3.S3Clients;
import io.faro.s3.S3ContentFetcher;
import io.faro.topology.fetch.Backoff;
import io.faro.topology.fetch.FetchPool;
import io.faro.topology.ingest.IngestTopology;
import io.faro.topology.runtime.Backpressure;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The ingest component: {@code faro.documents} to chunks and embeddings, the {@code faro-ingest} application. With
 * S3 configured ({@code FARO_S3_BUCKET}) it fetches claim-check documents; without, it dead-letters them saying so.
 */
public final class IngestLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(IngestLauncher.class);

    private IngestLauncher() {
    }

    public static void start(Platform platform) {
        FaroConfig config = platform.config();
        // loaded now rather than on the first record
        Embedder embedder = platform.embedders().get(config.embedding().model());
        Optional<FetchPool> fetches = config.s3().map(s3 -> fetchPool(platform, s3));
        if (fetches.isEmpty()) {
            LOG.info("{} is not set: claim-check documents (content_ref) go to the dead-letter topic",
                    FaroConfig.S3_BUCKET);
        }
        Backpressure backpressure = new Backpressure();
        backpressure.bind(platform.startStreams(IngestTopology.APPLICATION_ID,
                IngestTopology.build(config, embedder, backpressure, platform.meters(), fetches),
                IngestTopology.streamsConfig(config), Topics.DOCUMENTS.name()));
    }

    /** Closed after the stream application (the platform stops in reverse order): the pool first, then the client. */
    private static FetchPool fetchPool(Platform platform, S3Settings s3) {
        S3Client client = S3Clients.create(s3);
        platform.add(client);
        FetchPool pool = new FetchPool(new S3ContentFetcher(client), s3.fetchConcurrency(), s3.maxObjectBytes(),
                Backoff.DEFAULT, platform.meters());
        platform.add(pool);
        LOG.info("claim checks are fetched from S3{} ({} at a time, objects up to {} bytes)",
                s3.endpoint().map(endpoint -> " at " + endpoint).orElse(""), s3.fetchConcurrency(),
                s3.maxObjectBytes());
        return pool;
    }
}
