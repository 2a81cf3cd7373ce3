package io.faro.cli.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.faro.cli.observability.ObservabilityFiles.Dashboard;
import io.faro.cli.observability.ObservabilityFiles.Expression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboards in {@code grafana-dashboards/} import into Grafana as they are and query what FARO exports. */
class GrafanaDashboardsTest {

    private static final String DATASOURCE = "${datasource}";

    @TempDir
    Path tmp;

    @Test
    void shouldShipTheFourDashboardsWithFixedUniqueUids() {
        List<Dashboard> dashboards = ObservabilityFiles.dashboards();

        assertThat(dashboards).extracting(d -> d.json().get("uid").asText())
                .containsExactlyInAnyOrder("faro-pipeline", "faro-vector-stores", "faro-gateway", "faro-jvm-streams");
        for (Dashboard dashboard : dashboards) {
            JsonNode json = dashboard.json();
            assertThat(json.get("title").asText()).as(dashboard.file().toString()).startsWith("FARO / ");
            // an import must not collide with the id of a dashboard in the target Grafana
            assertThat(json.get("id").isNull()).as(dashboard.file().toString()).isTrue();
            assertThat(json.get("schemaVersion").asInt()).isPositive();
            assertThat(json.get("tags")).extracting(JsonNode::asText).contains("faro");
        }
    }

    @Test
    void shouldOfferDatasourceNamespaceAndInstanceVariables() {
        for (Dashboard dashboard : ObservabilityFiles.dashboards()) {
            JsonNode variables = dashboard.json().get("templating").get("list");
            JsonNode datasource = variable(variables, "datasource");
            assertThat(datasource.get("type").asText()).isEqualTo("datasource");
            assertThat(datasource.get("query").asText()).isEqualTo("prometheus");
            for (String name : List.of("namespace", "instance")) {
                JsonNode variable = variable(variables, name);
                assertThat(variable.get("type").asText()).as(name).isEqualTo("query");
                assertThat(variable.get("datasource").get("uid").asText()).as(name).isEqualTo(DATASOURCE);
                // "All" must also match series without the label, as a plain local scrape has no namespace
                assertThat(variable.get("includeAll").asBoolean()).as(name).isTrue();
                assertThat(variable.get("allValue").asText()).as(name).isEqualTo(".*");
                assertThat(variable.get("definition").asText()).as(name).startsWith("label_values(")
                        .endsWith(", " + name + ")");
            }
            assertThat(variable(variables, "instance").get("definition").asText()).contains("$namespace");
        }
    }

    @Test
    void shouldQueryThroughTheDatasourceVariableAndFilterByNamespaceAndInstance() {
        for (Dashboard dashboard : ObservabilityFiles.dashboards()) {
            for (JsonNode panel : ObservabilityFiles.panels(dashboard.json())) {
                String where = dashboard.file().getFileName() + " / " + panel.get("title").asText();
                assertThat(panel.get("datasource").get("uid").asText()).as(where).isEqualTo(DATASOURCE);
                assertThat(panel.get("targets")).as(where).isNotEmpty();
                for (JsonNode target : panel.get("targets")) {
                    assertThat(target.get("datasource").get("uid").asText()).as(where).isEqualTo(DATASOURCE);
                    String expr = target.get("expr").asText();
                    assertThat(PromQl.selectors(expr)).as(where + ": " + expr).isNotEmpty().allSatisfy(selector ->
                            assertThat(selector.matchers()).as(where + ": " + selector.metric()).contains(
                                    new PromQl.LabelMatcher("namespace", "=~", "$namespace"),
                                    new PromQl.LabelMatcher("instance", "=~", "$instance")));
                }
            }
        }
    }

    @Test
    void shouldPutQdrantAgainstPgvectorLatencyAndOverlapOnTopOfTheStoresDashboard() {
        Dashboard stores = ObservabilityFiles.dashboards().stream()
                .filter(d -> d.json().get("uid").asText().equals("faro-vector-stores")).findFirst().orElseThrow();

        List<JsonNode> top = ObservabilityFiles.panels(stores.json()).stream()
                .filter(panel -> panel.get("gridPos").get("y").asInt() <= 1).toList();

        assertThat(top).extracting(panel -> panel.get("title").asText())
                .containsExactly("Search latency: Qdrant vs pgvector", "Result overlap");
        assertThat(top.get(0).get("targets").get(0).get("expr").asText()).contains("rag_search_latency_seconds_bucket")
                .contains("by (le, store)");
        assertThat(top.get(1).get("targets")).extracting(t -> t.get("expr").asText())
                .allMatch(expr -> expr.contains("rag_search_overlap_ratio"));
    }

    @Test
    void shouldLayPanelsOutOnTheGridWithoutOverlapAndWithUniqueIds() {
        for (Dashboard dashboard : ObservabilityFiles.dashboards()) {
            Set<Integer> ids = new HashSet<>();
            Set<String> cells = new HashSet<>();
            for (JsonNode panel : dashboard.json().get("panels")) {
                String where = dashboard.file().getFileName() + " / " + panel.get("title").asText();
                assertThat(ids.add(panel.get("id").asInt())).as("unique id: " + where).isTrue();
                JsonNode grid = panel.get("gridPos");
                int x = grid.get("x").asInt();
                int y = grid.get("y").asInt();
                assertThat(x + grid.get("w").asInt()).as(where).isLessThanOrEqualTo(24);
                for (int row = y; row < y + grid.get("h").asInt(); row++) {
                    for (int col = x; col < x + grid.get("w").asInt(); col++) {
                        assertThat(cells.add(row + ":" + col)).as("overlap at " + where).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void shouldWriteEveryDashboardExpressionInValidPromQl() throws Exception {
        Optional<Path> promtool = Promtool.find();
        assumeTrue(promtool.isPresent(), Promtool.MISSING);
        // Each expression becomes a recording rule, with Grafana's own variables replaced as Grafana would.
        List<String> rules = new ArrayList<>();
        List<Expression> expressions = ObservabilityFiles.expressions().stream().filter(e -> !e.variableQuery())
                .filter(e -> !e.where().startsWith(ObservabilityFiles.RULES.getFileName().toString())).toList();
        for (int i = 0; i < expressions.size(); i++) {
            String expr = expressions.get(i).promql().replace("$__rate_interval", "1m").replace("$__range", "1h");
            rules.add("      - record: faro:dashboard_check_" + i + "\n        expr: '" + expr.replace("'", "''") + "'");
        }
        Path file = Files.writeString(tmp.resolve("dashboards.rules.yaml"),
                "groups:\n  - name: dashboards\n    rules:\n" + String.join("\n", rules) + "\n");

        Promtool.Result result = Promtool.run(promtool.get(), "check", "rules", file.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains(expressions.size() + " rules found");
    }

    private static JsonNode variable(JsonNode variables, String name) {
        return StreamSupport.stream(variables.spliterator(), false)
                .filter(v -> v.get("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no variable " + name));
    }
}
