package io.faro.deploy.strimzi;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.deploy.strimzi.StrimziFiles.Parsed;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaResources;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** strimzi/README.md names what the files make: the operator they were checked with, the secrets, ports and topics. */
class StrimziReadmeTest {

    private final List<Parsed> all = StrimziFiles.readAll();
    private final String cluster = StrimziFilesTest.resources(all, Kafka.class).getFirst().getMetadata().getName();
    private final String readme = read();

    @Test
    void shouldInstallTheOperatorWhoseApiTheFilesAreCheckedWith() throws IOException {
        // given the version of io.strimzi:api on the test class path
        Properties api = new Properties();
        try (InputStream in = Kafka.class.getResourceAsStream("/META-INF/maven/io.strimzi/api/pom.properties")) {
            api.load(in);
        }

        // then
        assertThat(readme).contains("oci://quay.io/strimzi-helm/strimzi-kafka-operator \\\n     --version "
                + api.getProperty("version") + " ");
    }

    @Test
    void shouldNameTheSecretsStrimziMakesAndWhereFaroConnects() {
        assertThat(readme).contains("`" + KafkaResources.clusterCaCertificateSecretName(cluster) + "`")
                .contains(KafkaResources.bootstrapServiceName(cluster) + ".faro.svc:" + ClusterCheck.MTLS_PORT)
                .contains(KafkaResources.bootstrapServiceName(cluster) + ".faro.svc:" + ClusterCheck.SCRAM_PORT);
        for (KafkaUser user : StrimziFilesTest.resources(all, KafkaUser.class)) {
            assertThat(readme).contains("`" + user.getMetadata().getName() + "`");
        }
    }

    @Test
    void shouldListEachTopicWithItsPartitions() {
        for (KafkaTopic topic : StrimziFilesTest.resources(all, KafkaTopic.class)) {
            assertThat(readme).contains("| `" + TopicCheck.topicName(topic) + "` | " + topic.getSpec().getPartitions() + " |");
        }
    }

    private static String read() {
        try {
            return Files.readString(StrimziFiles.DIR.resolve("README.md"));
        } catch (IOException e) {
            throw new AssertionError("strimzi/README.md cannot be read", e);
        }
    }
}
