package io.faro.cli.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Prometheus alert rules next to the dashboards. */
class AlertRulesTest {

    @Test
    void shouldAlertOnWhatOperatorsWatch() {
        assertThat(ObservabilityFiles.rulesList()).extracting(rule -> rule.get("alert").asText())
                .contains("FaroLagGrowing", "FaroFreshnessOverTarget", "FaroDeadLetters", "FaroStoreDrift",
                        "FaroSearchFallbacks", "FaroGatewayErrors", "FaroSinkStalled", "FaroAnswersExtractive");
    }

    @Test
    void shouldGiveEveryRuleASeverityASummaryAndARunbook() {
        List<JsonNode> rules = ObservabilityFiles.rulesList();

        assertThat(rules).allSatisfy(rule -> {
            String name = rule.get("alert").asText();
            assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
            assertThat(rule.path("annotations").path("runbook").asText()).as(name).isNotBlank();
        });
    }

    @Test
    void shouldPassPromtoolCheckRules() throws Exception {
        Optional<Path> promtool = Promtool.find();
        assumeTrue(promtool.isPresent(), Promtool.MISSING);

        Promtool.Result result = Promtool.run(promtool.get(), "check", "rules", ObservabilityFiles.RULES.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + ObservabilityFiles.rulesList().size() + " rules found");
    }
}
