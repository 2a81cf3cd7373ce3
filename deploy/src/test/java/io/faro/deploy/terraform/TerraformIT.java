package io.faro.deploy.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The repository's {@code terraform/} folder, checked offline with the real terraform binary and a provider
 * mirror: formatted, each environment initialised (no backend) and valid, and each environment's
 * {@code terraform test} files passing. Those plan the environment against a mock AWS provider and assert its
 * security settings (see terraform/envs/*&#47;tests). Everything runs in a temporary copy, so the source tree gets
 * no {@code .terraform/} or lock file. Skipped, with what to install, where terraform or the mirror is missing.
 */
class TerraformIT {

    private static final Path SOURCE = Path.of("..", "terraform").toAbsolutePath().normalize();
    private static final Pattern SUMMARY = Pattern.compile("Success! (\\d+) passed, 0 failed\\.");

    @TempDir
    static Path work;

    private static Terraform terraform;
    private static Path copy;
    /** Why these checks cannot run here (what to install), or null when they can. */
    private static String unavailable;

    @BeforeAll
    static void copyTheConfigurationWhereTerraformMayWrite() throws IOException {
        Optional<Path> binary = Terraform.findBinary();
        Terraform.Mirror mirror = Terraform.findPluginDir();
        if (binary.isEmpty()) {
            unavailable = Terraform.MISSING_BINARY;
        } else if (mirror instanceof Terraform.Mirror.Missing missing) {
            unavailable = missing.reason();
        } else {
            terraform = Terraform.offline(binary.get(), ((Terraform.Mirror.Found) mirror).dir(), work);
            copy = Files.createDirectory(work.resolve("terraform"));
            Terraform.copyConfiguration(SOURCE, copy);
        }
    }

    /** Each check is reported as skipped, with the reason, rather than the class vanishing from the report. */
    @BeforeEach
    void skipWhereTerraformOrItsProviderMirrorIsMissing() {
        assumeTrue(unavailable == null, () -> unavailable);
    }

    /**
     * init links the provider from the mirror into each .terraform/ folder; remove those links (never what they
     * point to) before the temporary directory is deleted.
     */
    @AfterAll
    static void unlinkTheMirroredProviders() {
        if (copy != null) {
            Terraform.deleteSymbolicLinks(copy);
        }
    }

    @Test
    void terraformIsNewEnoughForTheTestFiles() {
        Terraform.Result version = terraform.run(copy, "version", "-json");
        Matcher number = Pattern.compile("\"terraform_version\":\\s*\"(\\d+)\\.(\\d+)").matcher(version.output());

        assertThat(number.find()).as(version.describe()).isTrue();
        int major = Integer.parseInt(number.group(1));
        int minor = Integer.parseInt(number.group(2));
        assertThat(major > 1 || minor >= 11)
                .as("terraform %s.%s is too old: the test files use mock providers with override_during = plan, "
                        + "which need Terraform 1.11 or later; install a newer one", major, minor)
                .isTrue();
    }

    @Test
    void everyFileIsFormattedAsTerraformFmtWritesIt() {
        Terraform.Result fmt = terraform.run(copy, "fmt", "-check", "-recursive", "-diff", "-no-color");

        assertThat(fmt.exitCode()).as("files terraform fmt would change (run `terraform fmt -recursive terraform`): %s",
                fmt.describe()).isZero();
    }

    @ParameterizedTest(name = "envs/{0}")
    @ValueSource(strings = {"dev", "prod"})
    void environmentInitialisesOfflineValidatesAndPassesItsSecurityTests(String env) {
        Path dir = copy.resolve("envs").resolve(env);
        assertThat(dir.resolve("tests")).as("terraform test files of envs/%s", env).isDirectory();

        Terraform.Result init = terraform.run(dir, "init", "-backend=false", "-input=false", "-no-color",
                "-plugin-dir=" + terraform.pluginDir());
        assertThat(init.exitCode()).as(init.describe()).isZero();

        Terraform.Result validate = terraform.run(dir, "validate", "-no-color");
        assertThat(validate.exitCode()).as(validate.describe()).isZero();
        assertThat(validate.output()).as(validate.describe()).contains("The configuration is valid.");

        Terraform.Result test = terraform.run(dir, "test", "-no-color");
        assertThat(test.exitCode()).as(test.describe()).isZero();
        Matcher summary = SUMMARY.matcher(test.output());
        assertThat(summary.find()).as("terraform test's summary in: %s", test.describe()).isTrue();
        assertThat(Integer.parseInt(summary.group(1))).as("runs that passed, in: %s", test.describe())
                .isPositive();
        assertThat(test.output()).as(test.describe()).doesNotContain("skip");
    }
}
