package io.faro.cli.restore;

import io.faro.cli.rebuild.Copies;
import io.faro.connectors.restore.ChunkRestore;
import io.faro.core.config.ConfigException;
import io.faro.core.config.FaroConfig;
import io.faro.core.config.S3Location;
import io.faro.core.kafka.TopicsMode;
import io.faro.core.topic.TopicInitializer;
import io.faro.core.topic.Topics;
import io.faro.s3.S3Clients;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code faro restore}: refills {@code faro.chunks} from the chunk archive ({@code FARO_ARCHIVE_BUCKET}, else
 * {@code FARO_S3_BUCKET}, under {@code FARO_ARCHIVE_PREFIX}) after a Kafka cluster was lost; then {@code faro
 * reembed} rebuilds every store from it. Idempotent: what the topic already holds is not written again.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Refill faro.chunks from the chunk archive in S3 after a Kafka cluster was lost.")
public final class RestoreCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return run(FaroConfig.fromEnv(), System.out, System.err);
    }

    public static int run(FaroConfig config, PrintStream out, PrintStream progress) {
        S3Location archive = config.connectors().archive().orElseThrow(() -> new ConfigException("faro restore"
                + " reads the chunk archive in S3: set " + FaroConfig.S3_BUCKET + " (and " + FaroConfig.ARCHIVE_BUCKET
                + " and " + FaroConfig.ARCHIVE_PREFIX + " where the archive is elsewhere)"));
        if (config.kafka().topicsMode() == TopicsMode.CREATE) {
            // a new cluster of one's own: its topics may not exist yet (on Strimzi, its KafkaTopics make them)
            TopicInitializer.ensureTopics(config.kafka(), config.maxDocumentBytes());
        }
        out.printf("restoring %s from %s into %s at %s%n", Topics.CHUNKS.name(), archive, Topics.CHUNKS.name(),
                config.kafka().bootstrapServers());
        try (S3Client s3 = S3Clients.create(config.s3().orElseThrow())) {
            ChunkRestore.Progress result = new ChunkRestore(config.kafka(), s3, archive,
                    config.connectors().archiveConcurrency(), p -> progress.printf(Locale.ROOT,
                            "\rrestore: %,d objects read, %,d chunks written, %,d already there, %,d of older versions"
                                    + " and %,d not chunks skipped, %,.0f objects/s   ", p.objects(), p.written(),
                            p.present(), p.stale(), p.skipped(), p.objectsPerSecond()),
                    Copies.progressLine("restore", progress)).restore();
            progress.println();
            out.printf("restored %,d chunks into %s (%,d were there already; %,d objects read, %,d of older versions"
                            + " and %,d not chunks skipped).%n", result.written(), Topics.CHUNKS.name(),
                    result.present(), result.objects(), result.stale(), result.skipped());
            out.printf("Next: faro reembed --model %s rebuilds every store from %s.%n", config.embedding().model(),
                    Topics.CHUNKS.name());
            return 0;
        }
    }
}
