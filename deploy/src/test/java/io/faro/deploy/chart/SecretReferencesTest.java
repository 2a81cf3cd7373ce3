package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.faro.core.Component;
import io.faro.core.config.FaroConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Secrets are referenced, never held: no value in the values files, only mounted secret volumes in the pods. */
class SecretReferencesTest {

    /**
     * A count of tokens (llm.maxContextTokens, FARO_LLM_MAX_ANSWER_TOKENS) is no token, and a keyword
     * (FARO_KEYWORD_LANGUAGE) no key.
     */
    private static final Pattern SECRET_WORD = Pattern.compile("(?i)password|api-?key|token(?!s)|secret|credentials");
    private static final Pattern SECRET_VARIABLE = Pattern.compile("PASSWORD|API_KEY|SECRET|TOKEN(?!S)|_KEY(?!WORD)");

    static List<Variant> variants() {
        return Variant.all();
    }

    static List<Path> valuesFiles() {
        Path examples = FaroChart.dir().resolve("examples");
        return Stream.concat(Stream.of(FaroChart.dir().resolve("values.yaml"), examples.resolve("qdrant-values.yaml")),
                FaroChart.exampleValuesFiles().stream()).toList();
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void shouldOnlyNameSecretsInValuesFiles(Path file) throws IOException {
        // given
        JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        List<String> leaves = new ArrayList<>();
        collectLeaves(values, "", leaves);

        // then: a value under a secret's key is the name of a Secret or a key in it, nothing else
        assertThat(leaves).filteredOn(leaf -> SECRET_WORD.matcher(leaf.substring(0, leaf.indexOf('='))).find())
                .allMatch(leaf -> leaf.matches(".*\\.(name|key)=.*"), "names a Secret or a key of one");
    }

    private static void collectLeaves(JsonNode node, String path, List<String> leaves) {
        if (node.isObject()) {
            node.properties().forEach(e -> collectLeaves(e.getValue(), path + "." + e.getKey(), leaves));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectLeaves(node.get(i), path + "[" + i + "]", leaves);
            }
        } else if (!node.isNull() && !node.asText().isEmpty()) {
            leaves.add(path + "=" + node.asText());
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldPassSecretsOnlyAsFilesOfMountedSecretVolumes(Variant variant) {
        // then
        assertThat(variant.rendered().ofKind("Secret")).as("the chart makes no Secret").isEmpty();
        for (Deployment deployment : variant.rendered().deployments()) {
            for (EnvVar env : Pods.faro(deployment).getEnv()) {
                if (SECRET_VARIABLE.matcher(env.getName()).find()) {
                    assertThat(env.getName()).as("a secret is passed as a file").endsWith("_FILE");
                }
                assertThat(env.getValue() != null || env.getValueFrom().getFieldRef() != null
                        || env.getValueFrom().getSecretKeyRef() != null)
                        .as("%s is a value, a field of the pod or a secretKeyRef", env.getName()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldPointEveryFileVariableAtAFileOfAMountedVolume(Variant variant) {
        for (Deployment deployment : variant.rendered().deployments()) {
            Map<String, String> env = Pods.env(deployment);
            env.entrySet().stream()
                    .filter(e -> e.getKey().endsWith("_FILE") || e.getKey().equals(FaroConfig.PG_SSLROOTCERT))
                    .forEach(e -> assertThat(filesOfMountedVolumes(deployment))
                            .as("%s=%s in %s", e.getKey(), e.getValue(), deployment.getMetadata().getName())
                            .contains(e.getValue()));
        }
    }

    /** The path of every file a secret or config map volume puts in the container. */
    private static List<String> filesOfMountedVolumes(Deployment deployment) {
        List<String> files = new ArrayList<>();
        for (VolumeMount mount : Pods.faro(deployment).getVolumeMounts()) {
            Volume volume = Pods.volume(deployment, mount.getName());
            List<KeyToPath> items = volume.getSecret() != null ? volume.getSecret().getItems()
                    : volume.getConfigMap() != null ? volume.getConfigMap().getItems() : List.of();
            items.forEach(item -> files.add(mount.getMountPath() + "/" + item.getPath()));
        }
        return files;
    }

    @Test
    void shouldMountTheClusterCaAndEachComponentsKafkaUserForMutualTls() {
        for (Deployment deployment : Variant.named("examples/values-prod.yaml").rendered().deployments()) {
            // given
            String user = kafkaUserOf(Pods.component(deployment));

            // then
            assertThat(secretFile(deployment, FaroConfig.KAFKA_TLS_CA_FILE)).isEqualTo("faro-cluster-ca-cert/ca.crt");
            assertThat(secretFile(deployment, FaroConfig.KAFKA_TLS_KEYSTORE_FILE)).isEqualTo(user + "/user.p12");
            assertThat(secretFile(deployment, FaroConfig.KAFKA_TLS_KEYSTORE_PASSWORD_FILE))
                    .isEqualTo(user + "/user.password");
            assertThat(Pods.env(deployment)).doesNotContainKeys(FaroConfig.KAFKA_SCRAM_USER,
                    FaroConfig.KAFKA_SCRAM_PASSWORD_FILE);
        }
    }

    @Test
    void shouldMountTheClusterCaAndEachComponentsScramPassword() {
        for (Deployment deployment : Variant.named("examples/values-scram.yaml").rendered().deployments()) {
            // given
            String user = kafkaUserOf(Pods.component(deployment));

            // then
            assertThat(secretFile(deployment, FaroConfig.KAFKA_TLS_CA_FILE)).isEqualTo("faro-cluster-ca-cert/ca.crt");
            assertThat(Pods.env(deployment)).containsEntry(FaroConfig.KAFKA_SCRAM_USER, user)
                    .doesNotContainKeys(FaroConfig.KAFKA_TLS_KEYSTORE_FILE);
            assertThat(secretFile(deployment, FaroConfig.KAFKA_SCRAM_PASSWORD_FILE)).isEqualTo(user + "/password");
        }
    }

    @Test
    void shouldMountNoKafkaSecretWithoutTlsOrAuthentication() {
        for (Deployment deployment : Variant.named("examples/values-dev.yaml").rendered().deployments()) {
            // then
            assertThat(Pods.env(deployment)).doesNotContainKeys(FaroConfig.KAFKA_TLS_CA_FILE,
                    FaroConfig.KAFKA_TLS_KEYSTORE_FILE, FaroConfig.KAFKA_SCRAM_PASSWORD_FILE);
            // (the gateway's API keys are no Kafka secret: a dev cluster's gateway asks for keys too)
            assertThat(Pods.spec(deployment).getVolumes()).allMatch(v -> v.getName().equals("faro-home")
                    || v.getName().equals("tmp") || v.getName().startsWith("postgres") || v.getName().equals("qdrant")
                    || v.getName().equals("api-keys"));
        }
    }

    @Test
    void shouldMountTheStoreCredentialsOnlyWhereTheStoreIsUsed() {
        for (Deployment deployment : Variant.named("examples/values-prod.yaml").rendered().deployments()) {
            // given
            Component component = Component.parse(Pods.component(deployment));
            boolean postgres = component == Component.SINK_PGVECTOR || component == Component.GATEWAY;
            boolean qdrant = component == Component.SINK_QDRANT || component == Component.GATEWAY;

            // then
            assertThat(Pods.env(deployment).containsKey(FaroConfig.PG_PASSWORD_FILE)).isEqualTo(postgres);
            assertThat(Pods.env(deployment).containsKey(FaroConfig.QDRANT_API_KEY_FILE)).isEqualTo(qdrant);
            if (postgres) {
                assertThat(secretFile(deployment, FaroConfig.PG_PASSWORD_FILE)).isEqualTo("faro-postgres/password");
                assertThat(Pods.env(deployment)).containsEntry(FaroConfig.PG_SSLMODE, "verify-full");
            }
            if (qdrant) {
                assertThat(secretFile(deployment, FaroConfig.QDRANT_API_KEY_FILE)).isEqualTo("qdrant-api-key/api-key");
            }
        }
    }

    /** The KafkaUser, and so the Strimzi secret, of a component: faro-ingest, faro-gateway, ... */
    private static String kafkaUserOf(String component) {
        return "faro-" + component;
    }

    /** Which secret and which key in it the file a variable names comes from: {@code secret/key}. */
    private static String secretFile(Deployment deployment, String variable) {
        String file = Pods.env(deployment).get(variable);
        assertThat(file).as("%s in %s", variable, deployment.getMetadata().getName()).isNotNull();
        for (VolumeMount mount : Pods.faro(deployment).getVolumeMounts()) {
            Volume volume = Pods.volume(deployment, mount.getName());
            if (volume.getSecret() == null) {
                continue;
            }
            for (KeyToPath item : volume.getSecret().getItems()) {
                if (file.equals(mount.getMountPath() + "/" + item.getPath())) {
                    return volume.getSecret().getSecretName() + "/" + item.getKey();
                }
            }
        }
        throw new AssertionError(variable + "=" + file + " is in no mounted secret");
    }
}
