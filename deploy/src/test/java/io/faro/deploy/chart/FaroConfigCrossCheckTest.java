package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.faro.core.config.FaroConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every FARO_* variable the chart sets or names is one FARO reads (FaroConfig's constants): no typo survives. */
class FaroConfigCrossCheckTest {

    private static final Pattern VARIABLE = Pattern.compile("FARO_[A-Z0-9_]*[A-Z0-9]");
    private static final Pattern LOGBACK_VARIABLE = Pattern.compile("\\$\\{(FARO_[A-Z0-9_]+)");
    private static final String LOGBACK = "cli/src/main/resources/logback.xml";

    static List<Variant> variants() {
        return Variant.all();
    }

    /**
     * The variables FARO reads: FaroConfig's constants, and the one its logging configuration reads,
     * {@code FARO_LOG_LEVEL} (a {@code ${FARO_...}} substitution in the faro command's logback.xml).
     */
    static Set<String> faroVariables() {
        Set<String> variables = Arrays.stream(FaroConfig.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(FaroConfigCrossCheckTest::valueOf)
                .filter(v -> v.startsWith("FARO_"))
                .collect(Collectors.toCollection(HashSet::new));
        try {
            Matcher logback = LOGBACK_VARIABLE.matcher(Files.readString(FaroChart.repositoryRoot().resolve(LOGBACK)));
            while (logback.find()) {
                variables.add(logback.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return variables;
    }

    private static String valueOf(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldSetOnlyVariablesFaroReads(Variant variant) {
        for (Deployment deployment : variant.rendered().deployments()) {
            // then
            assertThat(Pods.faro(deployment).getEnv()).map(EnvVar::getName).filteredOn(n -> n.startsWith("FARO_"))
                    .isNotEmpty().isSubsetOf(faroVariables());
        }
    }

    @Test
    void shouldNameOnlyVariablesFaroReadsAnywhereInTheChart() throws IOException {
        // given: the templates (also their branches no example renders), the values, the examples and the README
        List<Path> files;
        try (Stream<Path> walk = Files.walk(FaroChart.dir())) {
            files = walk.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(yaml|tpl|md)"))
                    .toList();
        }

        // then
        for (Path file : files) {
            Matcher matcher = VARIABLE.matcher(Files.readString(file));
            while (matcher.find()) {
                assertThat(faroVariables()).as("%s in %s", matcher.group(), FaroChart.dir().relativize(file))
                        .contains(matcher.group());
            }
        }
        assertThat(files).map(f -> f.getFileName().toString()).contains("deployment.yaml", "validate.yaml");
    }
}
