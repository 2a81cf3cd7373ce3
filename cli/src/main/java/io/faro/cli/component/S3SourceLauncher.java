package io.faro.cli.component;

import io.faro.connectors.source.S3Source;
import io.faro.core.Connector;
import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.FaroConfig.ConnectorSettings;
import io.faro.core.topic.TopicInitializer;
import io.faro.core.topic.Topics;
import io.faro.gateway.health.ReadinessCheck;

/**
 * The S3 bucket source ({@code faro run s3-source}): publishes the objects of {@code FARO_S3_SOURCE_LOCATIONS} as
 * documents. Every replica is live and ready while its group membership runs; one of them lists.
 */
public final class S3SourceLauncher {

    private S3SourceLauncher() {
    }

    public static S3Source start(Platform platform) {
        FaroConfig config = platform.config();
        ConnectorSettings connectors = config.connectors();
        if (connectors.sourceLocations().isEmpty()) {
            throw new ConfigException("the " + Connector.S3_SOURCE.id() + " connector needs "
                    + FaroConfig.S3_SOURCE_LOCATIONS + ": the s3://bucket/prefix locations to watch, comma separated");
        }
        TopicInitializer.ensureTopics(config.kafka(), config.maxDocumentBytes(), Topics.S3_SOURCE);
        S3Source source = S3Source.start(config.kafka(), platform.s3(Connector.S3_SOURCE.id()),
                connectors.sourceLocations(), connectors.sourceInterval(), platform.meters());
        platform.add(source);
        platform.health().ready(ReadinessCheck.critical(Connector.S3_SOURCE.id(), source::isRunning))
                .live(ReadinessCheck.critical(Connector.S3_SOURCE.id(), source::isRunning));
        return source;
    }
}
