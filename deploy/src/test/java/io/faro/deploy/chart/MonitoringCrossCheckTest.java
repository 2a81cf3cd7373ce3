package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scraping, alerts and dashboards agree with the objects they point at and with grafana-dashboards/, the one place
 * the dashboards and the alert rules live.
 */
class MonitoringCrossCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Variant> variants() {
        return Variant.all();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldScrapeAPortThatEveryServiceItSelectsHas(Variant variant) {
        Rendered rendered = variant.rendered();
        for (ServiceMonitor monitor : rendered.serviceMonitors()) {
            // given
            Map<String, String> selector = monitor.getSpec().getSelector().getMatchLabels();
            List<Service> selected = rendered.services().stream()
                    .filter(s -> Pods.selects(selector, s.getMetadata().getLabels())).toList();

            // then
            assertThat(selected).as("the Services %s selects", monitor.getMetadata().getName()).isNotEmpty();
            for (Endpoint endpoint : monitor.getSpec().getEndpoints()) {
                assertThat(endpoint.getPath()).isEqualTo("/metrics");
                selected.forEach(service -> assertThat(service.getSpec().getPorts()).map(ServicePort::getName)
                        .as("the ports of %s", service.getMetadata().getName()).contains(endpoint.getPort()));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldScrapeEveryServiceThroughAPortItsNetworkPolicyOpensToPrometheus(Variant variant) {
        Rendered rendered = variant.rendered();
        if (rendered.serviceMonitors().isEmpty()) {
            return;
        }
        for (Service service : rendered.services()) {
            // given
            List<ServiceMonitor> monitors = rendered.serviceMonitors().stream()
                    .filter(m -> Pods.selects(m.getSpec().getSelector().getMatchLabels(),
                            service.getMetadata().getLabels())).toList();

            // then
            assertThat(monitors).as("ServiceMonitors of %s", service.getMetadata().getName()).hasSize(1);
            String port = monitors.getFirst().getSpec().getEndpoints().getFirst().getPort();
            for (NetworkPolicy policy : rendered.networkPolicies()) {
                if (Pods.selects(policy.getSpec().getPodSelector().getMatchLabels(), service.getSpec().getSelector())) {
                    assertThat(policy.getSpec().getIngress().getFirst().getPorts())
                            .map(p -> p.getPort().getStrVal()).containsExactly(port);
                }
            }
        }
    }

    @Test
    void shouldCarryEveryDashboardOfGrafanaDashboardsUnchanged() throws IOException {
        // given
        List<Path> dashboards = files("*.json");
        List<ConfigMap> configMaps = Variant.named("default values").rendered().configMaps();

        // then
        assertThat(dashboards).hasSizeGreaterThanOrEqualTo(4);
        assertThat(configMaps).hasSameSizeAs(dashboards);
        for (Path dashboard : dashboards) {
            String file = dashboard.getFileName().toString();
            ConfigMap configMap = configMaps.stream().filter(c -> c.getData().containsKey(file)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ConfigMap carries " + file));
            assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
            assertThat(JSON.readTree(configMap.getData().get(file))).isEqualTo(JSON.readTree(dashboard.toFile()));
        }
    }

    @Test
    void shouldCarryEveryAlertRuleOfGrafanaDashboardsUnchanged() throws IOException {
        // given
        JsonNode source = new ObjectMapper(new YAMLFactory())
                .readTree(FaroChart.dashboardsDir().resolve("faro-alerts.yaml").toFile());
        List<PrometheusRule> rules = Variant.named("default values").rendered().prometheusRules();

        // then
        assertThat(rules).hasSize(1);
        List<RuleGroup> groups = rules.getFirst().getSpec().getGroups();
        assertThat(groups).map(RuleGroup::getName)
                .containsExactlyElementsOf(source.path("groups").findValuesAsText("name"));
        List<Alert> expected = new ArrayList<>();
        source.path("groups").forEach(group -> group.path("rules").forEach(rule -> expected.add(describe(rule))));
        List<Alert> rendered = groups.stream().flatMap(g -> g.getRules().stream())
                .map(rule -> describe(JSON.valueToTree(rule))).toList();
        assertThat(expected).hasSizeGreaterThanOrEqualTo(8);
        assertThat(rendered).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldPackageTheDashboardsAndRulesTheChartLinksTo(@TempDir Path destination) throws IOException {
        // given: helm package, which resolves charts/faro/dashboards into the archive
        Helm packaged = new Helm(FaroChart.dir()).packageIt().withDestination(destination).call();

        // when: the archive is rendered where grafana-dashboards/ is out of its reach
        Rendered rendered = Rendered.parse(packaged.template().withName(FaroChart.RELEASE)
                .withKubeVersion(FaroChart.KUBE_VERSION).call());

        // then
        assertThat(rendered.configMaps()).hasSameSizeAs(files("*.json"));
        assertThat(rendered.prometheusRules().getFirst().getSpec().getGroups()).isNotEmpty();
    }

    /** A rule as the fields Prometheus reads; labels and annotations compare as maps, in any order. */
    private record Alert(String alert, String expr, String forDuration, JsonNode labels, JsonNode annotations) {
    }

    private static Alert describe(JsonNode rule) {
        return new Alert(rule.path("alert").asText(), rule.path("expr").asText().strip(), rule.path("for").asText(),
                rule.path("labels"), rule.path("annotations"));
    }

    private static List<Path> files(String glob) throws IOException {
        try (Stream<Path> files = Files.list(FaroChart.dashboardsDir())) {
            var matcher = FaroChart.dashboardsDir().getFileSystem().getPathMatcher("glob:" + glob);
            return files.filter(f -> matcher.matches(f.getFileName())).sorted().toList();
        }
    }

}
