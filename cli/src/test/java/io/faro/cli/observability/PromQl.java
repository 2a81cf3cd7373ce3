package io.faro.cli.observability;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL reading for the dashboard checks: the metric names an expression reads, and its
 * selectors with their label matchers. Not a parser: it strips what cannot be a metric name (strings,
 * label matchers, ranges, grouping label lists, functions, keywords) and takes the identifiers left.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
            "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values",
            "group", "limitk", "limit_ratio", "inf", "nan", "atan2");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
    private static final Pattern SELECTOR = Pattern.compile(
            "(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^{}]*)}");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)");
    private static final Pattern MATCHER = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** A label matcher of a selector, as written. */
    record LabelMatcher(String label, String op, String value) {
    }

    /** A metric selector: the name and its label matchers. */
    record Selector(String metric, List<LabelMatcher> matchers) {
    }

    private PromQl() {
    }

    /** The metric names the expression reads. */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = s.replaceAll("\\{[^{}]*}", " ");
        s = s.replaceAll("\\[[^\\[\\]]*]", " ");
        String previous;
        do {
            previous = s;
            s = GROUPING.matcher(s).replaceAll(" ");
        } while (!s.equals(previous));
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The metric names a Grafana variable query ({@code label_values(selector, label)}) reads. */
    static Set<String> variableMetricNames(String query) {
        Matcher m = LABEL_VALUES.matcher(query.trim());
        return m.matches() ? metricNames(m.group(1)) : metricNames(query);
    }

    /** Selectors written with braces, {@code name{label="value", ...}}. */
    static List<Selector> selectors(String expr) {
        List<Selector> selectors = new ArrayList<>();
        Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
            if (KEYWORDS.contains(m.group(1))) {
                continue;
            }
            List<LabelMatcher> matchers = new ArrayList<>();
            Matcher lm = MATCHER.matcher(m.group(2));
            while (lm.find()) {
                matchers.add(new LabelMatcher(lm.group(1), lm.group(2), lm.group(3)));
            }
            selectors.add(new Selector(m.group(1), matchers));
        }
        return selectors;
    }
}
