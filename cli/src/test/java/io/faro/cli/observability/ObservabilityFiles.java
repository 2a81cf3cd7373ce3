package io.faro.cli.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The dashboards and alert rules in {@code grafana-dashboards/}, read as their tools read them. */
final class ObservabilityFiles {

    static final Path DIR = Path.of("..", "grafana-dashboards").toAbsolutePath().normalize();
    static final Path RULES = DIR.resolve("faro-alerts.yaml");

    /** A dashboard file and its JSON. */
    record Dashboard(Path file, JsonNode json) {
    }

    /** A PromQL expression and where it is used: a panel target, a template variable or an alert rule. */
    record Expression(String where, String promql, boolean variableQuery) {
    }

    private ObservabilityFiles() {
    }

    static List<Dashboard> dashboards() {
        try (Stream<Path> files = Files.list(DIR)) {
            ObjectMapper json = new ObjectMapper();
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(f -> {
                try {
                    return new Dashboard(f, json.readTree(f.toFile()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + f, e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + DIR, e);
        }
    }

    static JsonNode rules() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RULES, e);
        }
    }

    /** Every panel that is not a row, including those inside collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    static List<JsonNode> rulesList() {
        List<JsonNode> rules = new ArrayList<>();
        rules().get("groups").forEach(group -> group.get("rules").forEach(rules::add));
        return rules;
    }

    /** Every PromQL expression of every dashboard (targets and variable queries) and alert rule. */
    static List<Expression> expressions() {
        List<Expression> all = new ArrayList<>();
        for (Dashboard dashboard : dashboards()) {
            String name = dashboard.file().getFileName().toString();
            for (JsonNode panel : panels(dashboard.json())) {
                for (JsonNode target : panel.path("targets")) {
                    all.add(new Expression(name + " / " + panel.get("title").asText(), target.get("expr").asText(),
                            false));
                }
            }
            for (JsonNode variable : dashboard.json().get("templating").get("list")) {
                if ("query".equals(variable.get("type").asText())) {
                    all.add(new Expression(name + " / $" + variable.get("name").asText(),
                            variable.get("definition").asText(), true));
                }
            }
        }
        for (JsonNode rule : rulesList()) {
            all.add(new Expression(RULES.getFileName() + " / " + rule.get("alert").asText(), rule.get("expr").asText(),
                    false));
        }
        return all;
    }
}
