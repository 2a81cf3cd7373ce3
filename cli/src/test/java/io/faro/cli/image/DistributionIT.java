package io.faro.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The distribution the image copies ({@code cli/target/faro/lib}, made by the package phase, so checked
 * after it): the faro command and what it runs on, without the dev stack of {@code faro up}.
 */
class DistributionIT {

    private static final Path LIB = Path.of("target", "faro", "lib").toAbsolutePath();

    @Test
    void shouldHoldTheFaroCommandAndEveryModuleItRuns() throws Exception {
        List<String> jars = jars();

        assertThat(jars).anyMatch(jar -> jar.startsWith("faro-cli-"))
                .anyMatch(jar -> jar.startsWith("faro-core-"))
                .anyMatch(jar -> jar.startsWith("faro-topology-"))
                .anyMatch(jar -> jar.startsWith("faro-query-gateway-"))
                .anyMatch(jar -> jar.startsWith("faro-stores-"))
                .anyMatch(jar -> jar.startsWith("faro-embedders-"))
                .anyMatch(jar -> jar.startsWith("kafka-streams-"));
        String cli = jars.stream().filter(jar -> jar.startsWith("faro-cli-")).findFirst().orElseThrow();
        try (JarFile jar = new JarFile(LIB.resolve(cli).toFile())) {
            assertThat(jar.getEntry(io.faro.cli.FaroCommand.class.getName().replace('.', '/') + ".class")).isNotNull();
        }
    }

    @Test
    void shouldCarryNoDevStackBrokerOrTestJar() throws Exception {
        assertThat(jars()).noneMatch(jar -> jar.startsWith("faro-devstack"))
                .noneMatch(jar -> jar.startsWith("faro-bench"))
                .noneMatch(jar -> jar.startsWith("kafka_2.13"))
                .noneMatch(jar -> jar.startsWith("kafka-server"))
                .noneMatch(jar -> jar.startsWith("kafka-metadata"))
                .noneMatch(jar -> jar.startsWith("kafka-raft"))
                .noneMatch(jar -> jar.endsWith("-tests.jar"))
                .noneMatch(jar -> jar.startsWith("junit-") || jar.startsWith("assertj-"));
    }

    private static List<String> jars() throws Exception {
        assertThat(LIB).as("the package phase makes the distribution").isDirectory();
        try (Stream<Path> files = Files.list(LIB)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jar")).sorted()
                    .toList();
        }
    }
}
