package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code helm lint --strict}: with the chart's values and with each example values file. */
class ChartLintTest {

    @TempDir
    Path workDir;

    static List<Path> exampleValuesFiles() {
        return FaroChart.exampleValuesFiles();
    }

    @Test
    void shouldPassStrictLintWithTheDefaultValues() {
        // when
        LintResult result = FaroChart.lint();

        // then
        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("exampleValuesFiles")
    void shouldPassStrictLintWithEachExampleValuesFile(Path valuesFile) {
        // when
        LintResult result = FaroChart.lint(valuesFile, workDir);

        // then
        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @Test
    void shouldKeepOnlyValuesForThisChartAndForQdrantsChartInTheExamples() throws IOException {
        // given: every values-*.yaml is linted and rendered above; qdrant-values.yaml is for Qdrant's own chart
        try (Stream<Path> files = Files.list(FaroChart.dir().resolve("examples"))) {
            // then
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("a file here that matches neither would be checked by nothing")
                    .allMatch(name -> name.matches("values-.*\\.yaml") || name.equals("qdrant-values.yaml"));
        }
        assertThat(FaroChart.exampleValuesFiles()).hasSizeGreaterThanOrEqualTo(3);
    }
}
