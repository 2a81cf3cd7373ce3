package io.faro.cli.component;

import io.faro.connectors.archive.ChunkArchive;
import io.faro.core.Connector;
import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.S3Location;
import io.faro.core.kafka.KafkaIds;
import io.faro.core.topic.Topics;
import io.faro.gateway.health.ReadinessCheck;

/**
 * The chunk archive ({@code faro run chunk-archive}): keeps every live chunk in S3 for {@code faro restore}. Its lag
 * on {@code faro.chunks} is measured as the stream applications' is: it must stay under the topic's
 * {@code delete.retention.ms}, or deletes are missed.
 */
public final class ChunkArchiveLauncher {

    private ChunkArchiveLauncher() {
    }

    public static ChunkArchive start(Platform platform) {
        FaroConfig config = platform.config();
        S3Location archive = config.connectors().archive().orElseThrow(() -> new ConfigException("the "
                + Connector.CHUNK_ARCHIVE.id() + " connector needs S3: set " + FaroConfig.S3_BUCKET + " (the archive"
                + " goes to it, or to " + FaroConfig.ARCHIVE_BUCKET + ")"));
        ChunkArchive chunkArchive = ChunkArchive.start(config.kafka(), platform.s3(Connector.CHUNK_ARCHIVE.id()),
                archive, config.connectors().archiveConcurrency(), platform.meters());
        platform.add(chunkArchive);
        platform.health().ready(ReadinessCheck.critical(Connector.CHUNK_ARCHIVE.id(), chunkArchive::isRunning))
                .live(ReadinessCheck.critical(Connector.CHUNK_ARCHIVE.id(), chunkArchive::isRunning));
        platform.watchLag(KafkaIds.CHUNK_ARCHIVE_GROUP, Topics.CHUNKS.name());
        return chunkArchive;
    }
}
