package io.faro.deploy.chart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One way of installing the chart whose rendering the tests check: its default values, or an example values file.
 * Each is rendered once per test run.
 */
record Variant(String name, Optional<Path> valuesFile, Rendered rendered) {

    private static List<Variant> all;

    static synchronized List<Variant> all() {
        if (all == null) {
            List<Variant> variants = new ArrayList<>();
            variants.add(new Variant("default values", Optional.empty(), FaroChart.render(Map.of())));
            for (Path file : FaroChart.exampleValuesFiles()) {
                variants.add(new Variant("examples/" + file.getFileName(), Optional.of(file), FaroChart.render(file)));
            }
            all = List.copyOf(variants);
        }
        return all;
    }

    static Variant named(String name) {
        return all().stream().filter(v -> v.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no variant " + name));
    }

    @Override
    public String toString() {
        return name;
    }
}
