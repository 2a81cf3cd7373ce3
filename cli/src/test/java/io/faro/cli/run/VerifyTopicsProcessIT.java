package io.faro.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.cli.FaroCommand;
import io.faro.core.config.FaroConfig;
import io.faro.core.topic.Topics;
import io.faro.devstack.EmbeddedKafkaBroker;
import io.faro.devstack.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faro run} from the distribution the image carries, with {@code FARO_TOPICS_MODE=verify}. */
class VerifyTopicsProcessIT {

    private static final Path LIB = Path.of("target", "faro", "lib").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void shouldExitWithTheProblemAndChangeNothingWhenTopicsAreWrong() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), TestPostgres.freePort());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            // given faro.embeddings without compaction, and no other topic of FARO's
            admin.createTopics(List.of(new NewTopic(Topics.EMBEDDINGS.name(), 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete")))).all().get(30, TimeUnit.SECONDS);

            // when the ingest component starts in verify mode
            Path log = dir.resolve("faro.log");
            ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED", "-cp", LIB + "/*", FaroCommand.class.getName(), "run", "ingest")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of(
                    FaroConfig.KAFKA_BOOTSTRAP, broker.bootstrapServers(),
                    FaroConfig.TOPICS_MODE, "verify",
                    FaroConfig.HOME, dir.resolve("home").toString(),
                    FaroConfig.HTTP_HOST, "127.0.0.1",
                    FaroConfig.METRICS_PORT, "0"));
            Process faro = builder.start();
            boolean exited = faro.waitFor(120, TimeUnit.SECONDS);
            if (!exited) {
                faro.destroyForcibly();
            }

            // then it refuses to start, says what is wrong, and leaves the topics as they were
            String output = Files.readString(log);
            assertThat(exited).as("faro exits; its output:\n" + output).isTrue();
            assertThat(faro.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("faro: FARO's topics are not as FARO needs them")
                    .contains("faro.embeddings has cleanup.policy=delete")
                    .contains("faro.documents does not exist")
                    .doesNotContain("FARO is running");
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .doesNotContain(Topics.DOCUMENTS.name(), Topics.CHUNKS.name(), Topics.DLQ.name());
        }
    }
}
