package io.faro.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faro.core.config.FaroConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What can be checked of the container image without a container engine: the Dockerfile as the builder
 * reads it, and the build it relies on.
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Where the cli module's package phase puts the distribution, relative to the repository root. */
    private static final String DISTRIBUTION = "cli/target/faro/lib";
    private static final Pattern VERSIONED_TAG = Pattern.compile("(\\d+)(\\.\\d+)+[\\w.-]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Dockerfile dockerfile;

    @BeforeAll
    static void read() throws Exception {
        dockerfile = Dockerfile.read(ROOT.resolve("Dockerfile"));
    }

    @Test
    void shouldBuildWithAJdkAndRunOnAJreOfJava21OrNewer() {
        Dockerfile.Stage build = dockerfile.stage("build").orElseThrow();
        Dockerfile.Stage run = dockerfile.last();

        assertThat(dockerfile.stages()).hasSize(2);
        assertThat(build.image()).startsWith("eclipse-temurin:").contains("-jdk-");
        assertThat(run.image()).startsWith("eclipse-temurin:").contains("-jre-");
        assertThat(List.of(build.image(), run.image())).allSatisfy(image -> {
            Matcher version = VERSIONED_TAG.matcher(tag(image));
            assertThat(version.lookingAt()).as(image).isTrue();
            assertThat(Integer.parseInt(version.group(1))).as("Java feature version of " + image).isGreaterThanOrEqualTo(21);
        });
    }

    @Test
    void shouldPinEveryBaseImageToAVersionedTag() {
        List<String> stageNames = new ArrayList<>();
        for (Dockerfile.Stage stage : dockerfile.stages()) {
            if (!stageNames.contains(stage.image())) {
                assertThat(stage.image()).as("a base image with a tag").matches(".*:[^/]+$");
                assertThat(tag(stage.image())).as(stage.image()).isNotEqualTo("latest").matches(VERSIONED_TAG);
            }
            stage.name().ifPresent(stageNames::add);
        }
    }

    @Test
    void shouldBuildTheCliAndWhatItNeedsWithTheMavenWrapper() {
        List<String> runs = dockerfile.stage("build").orElseThrow().arguments("RUN");

        assertThat(runs).anySatisfy(run -> assertThat(run)
                .contains("./mvnw -B -DskipTests package -pl cli -am")
                .doesNotContain(" install"));
    }

    @Test
    void shouldCopyTheDistributionTheBuildProducesOntoTheClasspath() throws Exception {
        // given where the build stage works, and where the cli module writes its distribution
        String workdir = dockerfile.stage("build").orElseThrow().last("WORKDIR").orElseThrow();
        assertThat(distributionOutputs()).as("cli/pom.xml writes the CLI jar and its dependencies to target/faro/lib")
                .containsExactly("${project.build.directory}/faro/lib", "${project.build.directory}/faro/lib");

        // when
        List<String> copy = copyFromBuild();

        // then
        assertThat(stripSlash(copy.get(0))).isEqualTo(workdir + "/" + DISTRIBUTION);
        assertThat(classpath()).isEqualTo(stripSlash(copy.get(1)) + "/*");
    }

    @Test
    void shouldLeaveTheDevStackOutOfTheDistribution() throws Exception {
        // the embedded broker and private PostgreSQL are for faro up only; the distribution takes runtime scope
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("cli/pom.xml").toFile());
        NodeList dependencies = pom.getElementsByTagName("dependency");
        List<String> devStackScopes = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if (text(dependency, "artifactId").equals("faro-devstack")) {
                devStackScopes.add(text(dependency, "scope"));
            }
        }
        assertThat(devStackScopes).isNotEmpty().allSatisfy(scope -> assertThat(scope).isIn("provided", "test"));
    }

    @Test
    void shouldRunAsAnUnprivilegedNumericUser() {
        String user = dockerfile.last().last("USER").orElseThrow();

        assertThat(user).as("a numeric uid[:gid], so Kubernetes can check runAsNonRoot").matches("\\d+(:\\d+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).isNotZero();
    }

    @Test
    void shouldStartTheFaroCommandFromAnExecFormEntryPoint() throws Exception {
        // when
        List<String> entrypoint = jsonArray(dockerfile.last().last("ENTRYPOINT").orElseThrow());
        List<String> cmd = jsonArray(dockerfile.last().last("CMD").orElseThrow());

        // then
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        assertThat(entrypoint).contains("--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=/tmp");
        String mainClass = entrypoint.getLast();
        assertThat(entrypoint.get(entrypoint.size() - 2)).isEqualTo(classpath());
        Method main = Class.forName(mainClass).getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
        assertThat(mainClass).isEqualTo(io.faro.cli.FaroCommand.class.getName());
        assertThat(cmd).isNotEmpty();
    }

    @Test
    void shouldListenOnEveryAddressAndWriteOnlyToItsVolumes() {
        Dockerfile.Stage run = dockerfile.last();
        var env = run.env();
        List<String> volumes = run.arguments("VOLUME").stream().flatMap(v -> jsonArray(v).stream()).toList();

        assertThat(env).containsEntry(FaroConfig.HTTP_HOST, "0.0.0.0");
        assertThat(volumes).containsExactlyInAnyOrder(env.get(FaroConfig.HOME), "/tmp");
        assertThat(env.get("DJL_CACHE_DIR")).as("the tokenizer's native library goes to a writable path").startsWith("/tmp/");
        assertThat(run.arguments("EXPOSE")).singleElement().asString().contains(
                Integer.toString(FaroConfig.DEFAULT_HTTP_PORT), Integer.toString(FaroConfig.DEFAULT_METRICS_PORT));
    }

    @Test
    void shouldDescribeItselfWithOciLabels() {
        assertThat(String.join(" ", dockerfile.last().arguments("LABEL")))
                .contains("org.opencontainers.image.title=", "org.opencontainers.image.version=",
                        "org.opencontainers.image.description=");
    }

    @Test
    void shouldKeepBuildOutputsLocalStateAndHistoryOutOfTheBuildContext() throws Exception {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream().map(String::trim).toList();

        assertThat(ignored).contains(".git/", "**/target/", ".faro/");
    }

    private static List<String> copyFromBuild() {
        List<String> copies = dockerfile.last().arguments("COPY").stream()
                .filter(copy -> copy.startsWith("--from=build ")).toList();
        assertThat(copies).hasSize(1);
        List<String> words = List.of(copies.getFirst().substring("--from=build ".length()).trim().split("\\s+"));
        assertThat(words).hasSize(2);
        return words;
    }

    /** The directory of the {@code -cp} option of the entry point, with its wildcard. */
    private static String classpath() {
        List<String> entrypoint = jsonArray(dockerfile.last().last("ENTRYPOINT").orElseThrow());
        return entrypoint.get(entrypoint.indexOf("-cp") + 1);
    }

    private static List<String> distributionOutputs() throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("cli/pom.xml").toFile());
        NodeList outputs = pom.getElementsByTagName("outputDirectory");
        List<String> distribution = new ArrayList<>();
        for (int i = 0; i < outputs.getLength(); i++) {
            String dir = outputs.item(i).getTextContent().trim();
            if (dir.endsWith("/faro/lib")) {
                distribution.add(dir);
            }
        }
        return distribution;
    }

    private static List<String> jsonArray(String text) {
        try {
            return JSON.readValue(text, new TypeReference<List<String>>() { });
        } catch (Exception e) {
            throw new AssertionError("not the exec (JSON array) form: " + text, e);
        }
    }

    private static String tag(String image) {
        String name = image.substring(image.lastIndexOf('/') + 1);
        int colon = name.indexOf(':');
        return colon < 0 ? "" : name.substring(colon + 1);
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String text(Element parent, String child) {
        NodeList nodes = parent.getElementsByTagName(child);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }
}
