package io.faro.deploy.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** What tests read from a rendered component Deployment. */
final class Pods {

    static final String COMPONENT_LABEL = "app.kubernetes.io/component";

    private Pods() {
    }

    static String component(Deployment deployment) {
        return deployment.getMetadata().getLabels().get(COMPONENT_LABEL);
    }

    static PodSpec spec(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec();
    }

    static Container faro(Deployment deployment) {
        return spec(deployment).getContainers().stream().filter(c -> c.getName().equals("faro")).findFirst()
                .orElseThrow(() -> new AssertionError("no container faro in " + deployment.getMetadata().getName()));
    }

    /** The literal environment of the faro container, by name (variables taken from elsewhere are left out). */
    static Map<String, String> env(Deployment deployment) {
        return faro(deployment).getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    static Optional<EnvVar> envVar(Deployment deployment, String name) {
        return faro(deployment).getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    static Volume volume(Deployment deployment, String name) {
        return spec(deployment).getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name + " in "
                        + deployment.getMetadata().getName()));
    }

    static Optional<VolumeMount> mountAt(Deployment deployment, String path) {
        return faro(deployment).getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst();
    }

    /**
     * The files the faro container reads from mounted Secrets, of volumes named {@code volumePrefix...}, as
     * {@code path -> secret/key}.
     */
    static Map<String, String> secretFiles(Deployment deployment, String volumePrefix) {
        return faro(deployment).getVolumeMounts().stream().filter(m -> m.getName().startsWith(volumePrefix))
                .collect(Collectors.toMap(m -> {
                    Volume v = volume(deployment, m.getName());
                    return m.getMountPath() + "/" + v.getSecret().getItems().getFirst().getPath();
                }, m -> {
                    Volume v = volume(deployment, m.getName());
                    return v.getSecret().getSecretName() + "/" + v.getSecret().getItems().getFirst().getKey();
                }));
    }

    /** Whether a selector's labels all appear, with the same values, among the labels. */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }
}
