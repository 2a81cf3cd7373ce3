package io.faro.deploy.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code charts/faro} as Helm sees it, through the Helm that ships inside helm-java: rendered with values files
 * and {@code --set} values, and linted. No cluster is reached.
 */
final class FaroChart {

    static final String RELEASE = "faro";
    static final String NAMESPACE = "faro";
    /** {@code helm template} assumes Kubernetes 1.20 otherwise, below the chart's kubeVersion. */
    static final String KUBE_VERSION = "1.31.0";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private FaroChart() {
    }

    /** The repository's root: the first folder upwards that holds {@code charts/faro}. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("charts/faro/Chart.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no charts/faro/Chart.yaml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path dir() {
        return repositoryRoot().resolve("charts/faro");
    }

    static Path dashboardsDir() {
        return repositoryRoot().resolve("grafana-dashboards");
    }

    /** The example values files for this chart: {@code examples/values-*.yaml}. */
    static List<Path> exampleValuesFiles() {
        try (Stream<Path> files = Files.list(dir().resolve("examples"))) {
            return files.filter(f -> f.getFileName().toString().matches("values-.*\\.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Rendered render(Map<String, String> sets) {
        return render(List.of(), sets);
    }

    static Rendered render(Path valuesFile) {
        return render(List.of(valuesFile), Map.of());
    }

    static Rendered render(List<Path> valuesFiles, Map<String, String> sets) {
        return Rendered.parse(renderYaml(valuesFiles, sets));
    }

    /** The rendered documents; a value the schema or the templates refuse throws with Helm's message. */
    static String renderYaml(List<Path> valuesFiles, Map<String, String> sets) {
        TemplateCommand template = new Helm(dir()).template()
                .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        valuesFiles.forEach(template::withValuesFile);
        sets.forEach(template::set);
        return template.call();
    }

    /** The message with which Helm refuses to render these values (the schema's or a template's). */
    static String renderError(Map<String, String> sets) {
        try {
            renderYaml(List.of(), sets);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("the chart rendered with " + sets + ", which it should refuse");
    }

    /**
     * What {@code helm install} prints after installing (NOTES.txt), from a client-only dry run: nothing is
     * installed and no cluster is reached.
     */
    static String notes(List<Path> valuesFiles, Map<String, String> sets) {
        InstallCommand install = new Helm(dir()).install().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).clientOnly().dryRun();
        valuesFiles.forEach(install::withValuesFile);
        sets.forEach(install::set);
        String output = install.call().getOutput();
        int notes = output.indexOf("NOTES:");
        if (notes < 0) {
            throw new AssertionError("helm install printed no NOTES:\n" + output);
        }
        return output.substring(notes);
    }

    /** The values a release gets: the chart's own, with those of the file over them when one is given. */
    static ObjectNode values(Optional<Path> valuesFile) {
        try {
            ObjectNode values = (ObjectNode) YAML.readTree(dir().resolve("values.yaml").toFile());
            if (valuesFile.isPresent()) {
                merge(values, (ObjectNode) YAML.readTree(valuesFile.get().toFile()));
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code helm lint --strict} with the chart's own values. */
    static LintResult lint() {
        return new Helm(dir()).lint().strict().call();
    }

    /**
     * {@code helm lint --strict -f valuesFile}. helm-java's lint takes no values file, so a copy of the chart is
     * linted whose values.yaml is the chart's own with the file's values over them, merged as Helm merges them.
     */
    static LintResult lint(Path valuesFile, Path workDir) {
        try {
            Path copy = workDir.resolve("faro");
            copyFollowingLinks(dir(), copy);
            YAML.writeValue(copy.resolve("values.yaml").toFile(), values(Optional.of(valuesFile)));
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Helm's merge: maps merge key by key, anything else is replaced. */
    private static void merge(ObjectNode into, ObjectNode over) {
        Iterator<Map.Entry<String, JsonNode>> fields = over.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode current = into.get(field.getKey());
            if (current instanceof ObjectNode currentObject && field.getValue() instanceof ObjectNode overObject) {
                merge(currentObject, overObject);
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }

    private static void copyFollowingLinks(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from, FileVisitOption.FOLLOW_LINKS)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
