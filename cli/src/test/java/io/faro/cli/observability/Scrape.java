package io.faro.cli.observability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /metrics} in Prometheus' text format: its samples, by name and labels. */
record Scrape(List<Sample> samples) {

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(2) != null) {
                Matcher lm = LABEL.matcher(m.group(2));
                while (lm.find()) {
                    labels.put(lm.group(1), lm.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3).replace("+Inf", "Infinity")
                    .replace("-Inf", "-Infinity"))));
        }
        return new Scrape(samples);
    }

    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Whether some sample of the selector's metric satisfies its matchers (those without Grafana variables). */
    boolean matches(PromQl.Selector selector) {
        return samples.stream().filter(s -> s.name().equals(selector.metric()))
                .anyMatch(s -> selector.matchers().stream().filter(m -> !m.value().contains("$"))
                        .allMatch(m -> satisfies(s.labels().getOrDefault(m.label(), ""), m)));
    }

    private static boolean satisfies(String actual, PromQl.LabelMatcher matcher) {
        return switch (matcher.op()) {
            case "=" -> actual.equals(matcher.value());
            case "!=" -> !actual.equals(matcher.value());
            case "=~" -> actual.matches(matcher.value());
            case "!~" -> !actual.matches(matcher.value());
            default -> throw new IllegalArgumentException("unknown matcher " + matcher.op());
        };
    }

    /** The sum of the samples of {@code name} whose labels include {@code labels}. */
    double sum(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }
}
