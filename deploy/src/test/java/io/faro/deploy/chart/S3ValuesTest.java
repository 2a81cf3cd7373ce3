package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.faro.core.config.FaroConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code s3} block: the ingest alone gets FARO's S3 settings (claim checks), no credential appears anywhere
 * (the service account brings them), and the ingest's NetworkPolicy lets it out to S3 and the Pod Identity agent.
 */
class S3ValuesTest {

    private static final Map<String, String> S3 = Map.ofEntries(
            entry("s3.enabled", "true"),
            entry("s3.bucket", "faro-prod-123456789012-eu-west-1"),
            entry("s3.region", "eu-west-1"),
            entry("s3.fetchConcurrency", "4"),
            entry("s3.maxObjectBytes", "16777216"),
            entry("ingest.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn",
                    "arn:aws:iam::123456789012:role/faro-prod-ingest"),
            entry("networkPolicy.s3.to[0].ipBlock.cidr", "0.0.0.0/0"),
            entry("networkPolicy.s3.to[0].ipBlock.except[0]", "10.0.0.0/8"));

    @Test
    void shouldSetNoS3VariableWhenDisabled() {
        for (Deployment deployment : Variant.named("default values").rendered().deployments()) {
            assertThat(Pods.faro(deployment).getEnv()).noneMatch(e -> e.getName().startsWith("FARO_S3_"));
        }
    }

    @Test
    void shouldGiveTheIngestAloneFarosS3Settings() {
        // given
        Rendered rendered = FaroChart.render(S3);
        Deployment ingest = rendered.deployment("ingest");

        // then
        assertThat(Pods.env(ingest)).contains(
                entry(FaroConfig.S3_BUCKET, "faro-prod-123456789012-eu-west-1"),
                entry(FaroConfig.S3_REGION, "eu-west-1"),
                entry(FaroConfig.S3_FETCH_CONCURRENCY, "4"),
                entry(FaroConfig.S3_MAX_OBJECT_BYTES, "16777216"));
        assertThat(Pods.env(ingest)).doesNotContainKey(FaroConfig.S3_ENDPOINT)
                .noneSatisfy((name, value) -> assertThat(name).startsWith("AWS_"));
        for (Deployment other : rendered.deployments()) {
            if (!other.getMetadata().getName().equals(ingest.getMetadata().getName())) {
                assertThat(Pods.faro(other).getEnv()).noneMatch(e -> e.getName().startsWith("FARO_S3_"));
            }
        }
        assertThat(FaroChart.renderYaml(List.of(), S3)).doesNotContain("AWS_ACCESS_KEY_ID")
                .doesNotContain("AWS_SECRET_ACCESS_KEY").contains("eks.amazonaws.com/role-arn");
    }

    @Test
    void shouldPassAnS3CompatibleEndpoint() {
        Deployment ingest = FaroChart.render(Map.of("s3.enabled", "true", "s3.bucket", "faro",
                "s3.endpoint", "http://minio.minio.svc:9000", "networkPolicy.enabled", "false")).deployment("ingest");

        assertThat(Pods.env(ingest)).containsEntry(FaroConfig.S3_ENDPOINT, "http://minio.minio.svc:9000")
                .doesNotContainKey(FaroConfig.S3_REGION);
    }

    @Test
    void shouldLetTheIngestAloneOutToS3AndThePodIdentityAgent() {
        // given
        Rendered rendered = FaroChart.render(S3);

        // then
        for (NetworkPolicy policy : rendered.networkPolicies()) {
            List<NetworkPolicyEgressRule> s3 = policy.getSpec().getEgress().stream()
                    .filter(r -> r.getTo().stream().anyMatch(p -> p.getIpBlock() != null))
                    .toList();
            if (policy.getMetadata().getName().equals(Rendered.name("ingest"))) {
                assertThat(s3).map(r -> r.getTo().getFirst().getIpBlock().getCidr() + ":"
                        + r.getPorts().getFirst().getPort().getIntVal())
                        .containsExactly("0.0.0.0/0:443", "169.254.170.23/32:80");
            } else {
                assertThat(s3).as(policy.getMetadata().getName())
                        .noneMatch(r -> r.getTo().getFirst().getIpBlock().getCidr().equals("0.0.0.0/0"));
            }
        }
    }

    @Test
    void shouldLeaveThePodIdentityAgentOutWhenTurnedOff() {
        Map<String, String> irsa = new java.util.HashMap<>(S3);
        irsa.put("networkPolicy.s3.podIdentityAgent.enabled", "false");

        NetworkPolicy ingest = FaroChart.render(irsa).networkPolicies().stream()
                .filter(p -> p.getMetadata().getName().equals(Rendered.name("ingest"))).findFirst().orElseThrow();

        assertThat(ingest.getSpec().getEgress()).noneMatch(r -> r.getTo().stream()
                .anyMatch(p -> p.getIpBlock() != null && p.getIpBlock().getCidr().startsWith("169.254.")));
    }

    @Test
    void shouldRefuseS3WithoutBucketOrWhoseEndpointTheNetworkPolicyWouldBlock() {
        assertThat(FaroChart.renderError(Map.of("s3.enabled", "true", "networkPolicy.enabled", "false")))
                .contains("s3.enabled is true but s3.bucket is empty");
        assertThat(FaroChart.renderError(Map.of("s3.enabled", "true", "s3.bucket", "faro")))
                .contains("networkPolicy.s3.to is empty");
    }

    @Test
    void shouldRefuseS3VariablesSetBesideTheS3BlockAndBadValues() {
        assertThat(FaroChart.renderError(Map.of("ingest.env.FARO_S3_BUCKET", "faro")))
                .contains("ingest.env.FARO_S3_BUCKET: the chart sets FARO_S3_BUCKET itself");
        assertThat(FaroChart.renderError(Map.of("s3.bucket", "s3://faro", "s3.maxObjectBytes", "100000000",
                "s3.accessKey", "AKIA")))
                .contains("values don't meet the specifications of the schema")
                .contains("additional properties 'accessKey' not allowed");
    }
}
