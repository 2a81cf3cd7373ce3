package io.faro.deploy.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.Component;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What terraform/ says about FARO's components agrees with FARO, and the two environments say the same: the S3
 * roles of envs/dev and envs/prod are bound to the same service accounts, and those are the names the chart
 * gives a component's service account in a release called {@code faro}. Plain text checks; no terraform needed.
 */
class TerraformComponentsTest {

    private static final Path ENVS = Path.of("..", "terraform", "envs").toAbsolutePath().normalize();
    /** {@code   ingest = {\n      service_account = "faro-ingest"} in components.tf. */
    private static final Pattern COMPONENT = Pattern.compile(
            "^\\s*([a-z][a-z0-9-]*)\\s*=\\s*\\{\\s*\\n\\s*service_account\\s*=\\s*\"([^\"]+)\"", Pattern.MULTILINE);

    @Test
    void devAndProdGrantTheSameComponentsTheSameAccess() throws IOException {
        assertThat(Files.readString(ENVS.resolve("prod/components.tf")))
                .as("envs/prod/components.tf must equal envs/dev/components.tf: the environments differ in size, "
                        + "never in what a component may do")
                .isEqualTo(Files.readString(ENVS.resolve("dev/components.tf")));
    }

    @Test
    void devAndProdOfferTheSameOutputs() throws IOException {
        assertThat(Files.readString(ENVS.resolve("prod/outputs.tf")))
                .as("envs/prod/outputs.tf must equal envs/dev/outputs.tf: the chart's values come from the same outputs")
                .isEqualTo(Files.readString(ENVS.resolve("dev/outputs.tf")));
    }

    @Test
    void everyFaroComponentWithARoleUsesTheServiceAccountTheChartGivesIt() throws IOException {
        Map<String, String> accounts = serviceAccounts(Files.readString(ENVS.resolve("dev/components.tf")));

        assertThat(accounts).as("components in envs/dev/components.tf").containsKeys("ingest", "gateway");
        Arrays.stream(Component.values()).map(Component::id).filter(accounts::containsKey).forEach(id ->
                assertThat(accounts.get(id)).as("service account of %s (the chart's <release>-<component>)", id)
                        .isEqualTo("faro-" + id));
        assertThat(accounts.values()).as("every service account is a FARO one").allMatch(sa -> sa.startsWith("faro-"));
    }

    @Test
    void sinksHaveNoS3Role() throws IOException {
        Map<String, String> accounts = serviceAccounts(Files.readString(ENVS.resolve("dev/components.tf")));

        assertThat(accounts).as("the sinks write to PostgreSQL and Qdrant and never call AWS")
                .doesNotContainKeys(Component.SINK_PGVECTOR.id(), Component.SINK_QDRANT.id());
    }

    private static Map<String, String> serviceAccounts(String componentsTf) {
        Map<String, String> accounts = new LinkedHashMap<>();
        Matcher m = COMPONENT.matcher(componentsTf);
        while (m.find()) {
            accounts.put(m.group(1), m.group(2));
        }
        return accounts;
    }
}
