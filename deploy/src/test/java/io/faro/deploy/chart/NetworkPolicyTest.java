package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.faro.core.Component;
import io.faro.core.config.FaroConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each component's NetworkPolicy lets in and out only what that component needs. */
class NetworkPolicyTest {

    private static final String KAFKA = "kafka";
    private static final String DNS = "dns";
    private static final String POSTGRES = "postgres";
    private static final String QDRANT = "qdrant";

    @Test
    void shouldLetEachComponentReachOnlyDnsKafkaAndItsOwnStores() {
        // given
        Rendered rendered = Variant.named("default values").rendered();
        Map<Component, Set<String>> expected = Map.of(
                Component.INGEST, Set.of(DNS, KAFKA),
                Component.SINK_PGVECTOR, Set.of(DNS, KAFKA, POSTGRES),
                Component.SINK_QDRANT, Set.of(DNS, KAFKA, QDRANT),
                Component.GATEWAY, Set.of(DNS, KAFKA, POSTGRES, QDRANT));

        // then
        expected.forEach((component, destinations) -> {
            NetworkPolicy policy = policyOf(rendered, component);
            assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(policy.getSpec().getEgress()).map(NetworkPolicyTest::destination)
                    .containsExactlyInAnyOrderElementsOf(destinations);
        });
    }

    @Test
    void shouldReachKafkaBrokersOnTheListenerPortAndDnsOnPort53() {
        // given
        Rendered rendered = Variant.named("default values").rendered();

        // then
        for (Component component : Component.values()) {
            NetworkPolicy policy = policyOf(rendered, component);
            NetworkPolicyEgressRule kafka = egressTo(policy, KAFKA);
            assertThat(kafka.getTo().getFirst().getPodSelector().getMatchLabels())
                    .containsEntry("strimzi.io/cluster", "faro").containsEntry("strimzi.io/kind", "Kafka");
            assertThat(ports(kafka)).containsExactly("TCP/9093");
            assertThat(ports(egressTo(policy, DNS))).containsExactlyInAnyOrder("UDP/53", "TCP/53");
        }
        assertThat(ports(egressTo(policyOf(Variant.named("examples/values-scram.yaml").rendered(),
                Component.INGEST), KAFKA))).containsExactly("TCP/9094");
    }

    @Test
    void shouldLetInOnlyPrometheusAndForTheGatewayItsClients() {
        // given
        Rendered rendered = Variant.named("default values").rendered();

        // then
        for (Component component : Component.values()) {
            NetworkPolicy policy = policyOf(rendered, component);
            String port = component == Component.GATEWAY ? "http" : "metrics";
            assertThat(policy.getSpec().getIngress()).hasSize(component == Component.GATEWAY ? 2 : 1)
                    .allSatisfy(rule -> assertThat(rule.getPorts()).map(p -> p.getPort().getStrVal())
                            .containsExactly(port));
            NetworkPolicyPeer prometheus = policy.getSpec().getIngress().getFirst().getFrom().getFirst();
            assertThat(prometheus.getNamespaceSelector().getMatchLabels())
                    .containsEntry("kubernetes.io/metadata.name", "monitoring");
            assertThat(prometheus.getPodSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/name", "prometheus");
        }
        assertThat(policyOf(rendered, Component.GATEWAY).getSpec().getIngress().get(1).getFrom())
                .map(p -> p.getPodSelector().getMatchLabels()).containsExactly(Map.of("faro-gateway-client", "true"));
    }

    @Test
    void shouldNotLetTheGatewayReachQdrantWhenFaroRunsOnPgvectorAlone() {
        // given
        Rendered rendered = Variant.named("examples/values-pgvector-only.yaml").rendered();

        // then
        assertThat(policyOf(rendered, Component.GATEWAY).getSpec().getEgress()).map(NetworkPolicyTest::destination)
                .containsExactlyInAnyOrder(DNS, KAFKA, POSTGRES);
        assertThat(rendered.networkPolicies()).map(n -> n.getMetadata().getName())
                .doesNotContain(Rendered.name(Component.SINK_QDRANT.id()));
    }

    @Test
    void shouldOpenThePortsTheComponentsAreConfiguredToUse() {
        for (Variant variant : Variant.all()) {
            Rendered rendered = variant.rendered();
            if (rendered.networkPolicies().isEmpty()) {
                continue;
            }
            for (Deployment deployment : rendered.deployments()) {
                // given
                Map<String, String> env = Pods.env(deployment);
                NetworkPolicy policy = policyOf(rendered, Component.parse(Pods.component(deployment)));

                // then
                String bootstrap = env.get(FaroConfig.KAFKA_BOOTSTRAP);
                assertThat(ports(egressTo(policy, KAFKA))).as("%s: %s", variant, bootstrap)
                        .contains("TCP/" + bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
                if (env.containsKey(FaroConfig.PG_URL)) {
                    int port = URI.create(env.get(FaroConfig.PG_URL)).getPort();
                    assertThat(ports(egressTo(policy, POSTGRES))).containsExactly("TCP/" + (port < 0 ? 5432 : port));
                }
                if (env.containsKey(FaroConfig.QDRANT_URL)) {
                    assertThat(ports(egressTo(policy, QDRANT)))
                            .containsExactly("TCP/" + URI.create(env.get(FaroConfig.QDRANT_URL)).getPort());
                }
            }
        }
    }

    private static NetworkPolicy policyOf(Rendered rendered, Component component) {
        return rendered.networkPolicies().stream()
                .filter(n -> n.getMetadata().getName().equals(Rendered.name(component.id()))).findFirst()
                .orElseThrow(() -> new AssertionError("no NetworkPolicy for " + component.id()));
    }

    private static NetworkPolicyEgressRule egressTo(NetworkPolicy policy, String destination) {
        return policy.getSpec().getEgress().stream().filter(r -> destination(r).equals(destination)).findFirst()
                .orElseThrow(() -> new AssertionError("no egress to " + destination));
    }

    /** What an egress rule opens, recognised by its peers as the chart's default values describe them. */
    private static String destination(NetworkPolicyEgressRule rule) {
        NetworkPolicyPeer peer = rule.getTo().getFirst();
        if (peer.getIpBlock() != null) {
            return POSTGRES;
        }
        Map<String, String> pods = peer.getPodSelector().getMatchLabels();
        if (pods.containsKey("k8s-app")) {
            return DNS;
        }
        if (pods.containsKey("strimzi.io/cluster")) {
            return KAFKA;
        }
        if (Objects.equals(pods.get("app.kubernetes.io/name"), QDRANT)) {
            return QDRANT;
        }
        throw new AssertionError("an egress rule to an unknown peer: " + peer);
    }

    private static List<String> ports(NetworkPolicyEgressRule rule) {
        return rule.getPorts().stream().map(NetworkPolicyTest::port).collect(Collectors.toList());
    }

    private static String port(NetworkPolicyPort port) {
        return port.getProtocol() + "/" + port.getPort().getIntVal();
    }
}
