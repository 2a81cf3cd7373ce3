package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.faro.core.Component;
import io.faro.core.config.FaroConfig;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How each component runs: probes, ports, privileges, writable paths, image, stopping, resources. */
class ComponentDeploymentTest {

    private static final String HOME = "/var/lib/faro";

    static List<Variant> variants() {
        return Variant.all();
    }

    @Test
    void shouldDeployEveryFaroComponentByDefault() {
        // when
        List<Deployment> deployments = Variant.named("default values").rendered().deployments();

        // then
        assertThat(deployments).map(Pods::component)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Component.values()).map(Component::id).toList());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldProbeTheHealthEndpointsOnTheGatewayPortOrTheManagementPort(Variant variant) {
        for (Deployment deployment : variant.rendered().deployments()) {
            // given
            Container faro = Pods.faro(deployment);
            boolean gateway = Pods.component(deployment).equals(Component.GATEWAY.id());
            int expectedPort = gateway ? FaroConfig.DEFAULT_HTTP_PORT : FaroConfig.DEFAULT_METRICS_PORT;
            String portVariable = gateway ? FaroConfig.HTTP_PORT : FaroConfig.METRICS_PORT;

            // then
            assertThat(Pods.env(deployment)).containsEntry(portVariable, String.valueOf(expectedPort));
            assertProbe(faro, faro.getReadinessProbe(), "/health/ready", expectedPort);
            assertProbe(faro, faro.getLivenessProbe(), "/health/live", expectedPort);
            assertProbe(faro, faro.getStartupProbe(), "/health/live", expectedPort);
            // model loading takes tens of seconds: the startup probe waits at least a minute
            Probe startup = faro.getStartupProbe();
            assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThanOrEqualTo(60);
        }
    }

    private static void assertProbe(Container container, Probe probe, String path, int port) {
        assertThat(probe).as("a probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        String portName = probe.getHttpGet().getPort().getStrVal();
        assertThat(container.getPorts()).filteredOn(p -> p.getName().equals(portName))
                .map(ContainerPort::getContainerPort).as("the port the probe names").containsExactly(port);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldRunWithoutPrivilegesOnAReadOnlyRootFileSystem(Variant variant) {
        for (Deployment deployment : variant.rendered().deployments()) {
            // given
            PodSpec pod = Pods.spec(deployment);
            PodSecurityContext podContext = pod.getSecurityContext();
            SecurityContext context = Pods.faro(deployment).getSecurityContext();

            // then
            assertThat(podContext.getRunAsNonRoot()).isTrue();
            assertThat(podContext.getRunAsUser()).isEqualTo(10001L);
            assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(context.getRunAsNonRoot()).isTrue();
            assertThat(context.getRunAsUser()).isEqualTo(10001L);
            assertThat(context.getReadOnlyRootFilesystem()).isTrue();
            assertThat(context.getAllowPrivilegeEscalation()).isFalse();
            assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(context.getCapabilities().getAdd()).isNullOrEmpty();
            assertThat(context.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldWriteOnlyToEmptyDirsAtFaroHomeAndTmp(Variant variant) {
        for (Deployment deployment : variant.rendered().deployments()) {
            // then
            for (String path : List.of(HOME, "/tmp")) {
                String volume = Pods.mountAt(deployment, path).orElseThrow().getName();
                assertThat(Pods.volume(deployment, volume).getEmptyDir()).as("%s is an emptyDir", path).isNotNull();
            }
            assertThat(Pods.faro(deployment).getVolumeMounts()).filteredOn(m -> !List.of(HOME, "/tmp")
                    .contains(m.getMountPath())).allMatch(m -> Boolean.TRUE.equals(m.getReadOnly()));
            assertThat(Pods.env(deployment)).containsEntry(FaroConfig.HOME, HOME)
                    .containsEntry(FaroConfig.HTTP_HOST, "0.0.0.0");
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldRunTheComponentFromAPinnedImage(Variant variant) {
        for (Deployment deployment : variant.rendered().deployments()) {
            // given
            Container faro = Pods.faro(deployment);

            // then
            assertThat(faro.getArgs()).containsExactly("run", Pods.component(deployment));
            assertThat(faro.getImage()).matches(".+(:v?[0-9][^:]*|@sha256:[a-f0-9]{64})").doesNotEndWith(":latest");
        }
    }

    @Test
    void shouldTakeTheImageTagFromTheChartsAppVersionByDefault() throws IOException {
        // given
        String appVersion = new ObjectMapper(new YAMLFactory())
                .readTree(FaroChart.dir().resolve("Chart.yaml").toFile()).path("appVersion").asText();

        // then
        assertThat(Variant.named("default values").rendered().deployments())
                .map(d -> Pods.faro(d).getImage()).allMatch(image -> image.endsWith(":" + appVersion));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldStopWithinTheGracePeriodAndNameEachReplicaAfterItsPod(Variant variant) {
        for (Deployment deployment : variant.rendered().deployments()) {
            // given
            long graceMs = Pods.spec(deployment).getTerminationGracePeriodSeconds() * 1000;
            String delay = Pods.env(deployment).get(FaroConfig.SHUTDOWN_DELAY_MS);

            // then
            assertThat(graceMs).isEqualTo(30_000);
            if (Pods.component(deployment).equals(Component.GATEWAY.id())) {
                // the delay, then 10 s for requests in flight and 15 s for the stream applications (README)
                assertThat(Long.parseLong(delay) + 10_000 + 15_000).isLessThanOrEqualTo(graceMs);
            } else {
                assertThat(delay).as("only the gateway waits to leave its Service").isNull();
            }
            assertThat(Pods.envVar(deployment, FaroConfig.INSTANCE_ID).orElseThrow().getValueFrom().getFieldRef()
                    .getFieldPath()).isEqualTo("metadata.name");
        }
    }

    @Test
    void shouldLetOnlyTheGatewayTakeUploadsUnlessTurnedOff() {
        // when
        List<Deployment> byDefault = Variant.named("default values").rendered().deployments();
        List<Deployment> turnedOff = FaroChart.render(java.util.Map.of("gateway.uploads", "false")).deployments();

        // then
        for (Deployment deployment : byDefault) {
            boolean gateway = Pods.component(deployment).equals(Component.GATEWAY.id());
            assertThat(Pods.env(deployment).get(FaroConfig.UPLOADS)).as(Pods.component(deployment))
                    .isEqualTo(gateway ? "true" : null);
        }
        assertThat(turnedOff).filteredOn(d -> Pods.component(d).equals(Component.GATEWAY.id()))
                .singleElement().satisfies(gateway ->
                        assertThat(Pods.env(gateway)).containsEntry(FaroConfig.UPLOADS, "false"));
    }

    @Test
    void shouldServeNoConsoleUnlessTurnedOn() {
        // when
        List<Deployment> byDefault = Variant.named("default values").rendered().deployments();
        List<Deployment> turnedOn = FaroChart.render(java.util.Map.of("gateway.console", "true")).deployments();

        // then the gateway says so in as many words (FARO itself serves it unless told not to); no other component
        for (Deployment deployment : byDefault) {
            boolean gateway = Pods.component(deployment).equals(Component.GATEWAY.id());
            assertThat(Pods.env(deployment).get(FaroConfig.CONSOLE)).as(Pods.component(deployment))
                    .isEqualTo(gateway ? "false" : null);
        }
        assertThat(turnedOn).filteredOn(d -> Pods.component(d).equals(Component.GATEWAY.id()))
                .singleElement().satisfies(gateway ->
                        assertThat(Pods.env(gateway)).containsEntry(FaroConfig.CONSOLE, "true"));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldRequestAndLimitCpuAndMemory(Variant variant) {
        for (Deployment deployment : variant.rendered().deployments()) {
            // given
            var resources = Pods.faro(deployment).getResources();

            // then
            assertThat(resources.getRequests()).containsKeys("cpu", "memory");
            assertThat(resources.getLimits()).containsKeys("cpu", "memory");
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldGiveEachComponentItsServiceDisruptionBudgetAndNetworkPolicy(Variant variant) {
        Rendered rendered = variant.rendered();
        for (Deployment deployment : rendered.deployments()) {
            // given
            var podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

            // then
            assertThat(rendered.services()).filteredOn(s -> Pods.selects(s.getSpec().getSelector(), podLabels))
                    .hasSize(1);
            assertThat(rendered.podDisruptionBudgets())
                    .filteredOn(p -> Pods.selects(p.getSpec().getSelector().getMatchLabels(), podLabels)).hasSize(1);
            if (!rendered.networkPolicies().isEmpty()) {
                assertThat(rendered.networkPolicies())
                        .filteredOn(n -> Pods.selects(n.getSpec().getPodSelector().getMatchLabels(), podLabels))
                        .hasSize(1);
            }
        }
    }
}
