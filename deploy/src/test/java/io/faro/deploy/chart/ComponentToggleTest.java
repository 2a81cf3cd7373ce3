package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faro.core.Component;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each component can be left out; nothing of it is rendered then, and the others are untouched. */
class ComponentToggleTest {

    @ParameterizedTest
    @EnumSource(Component.class)
    void shouldRenderNothingOfAComponentThatIsTurnedOff(Component off) {
        // given: every autoscaler on, so that those are checked too
        Map<String, String> sets = Map.of(off.id() + ".enabled", "false",
                "ingest.autoscaling.enabled", "true", "sink-pgvector.autoscaling.enabled", "true",
                "sink-qdrant.autoscaling.enabled", "true", "gateway.autoscaling.enabled", "true");

        // when
        Rendered rendered = FaroChart.render(sets);

        // then
        assertThat(rendered.documents()).map(ComponentToggleTest::componentOf).doesNotContain(off.id());
        assertThat(rendered.deployments()).map(Pods::component).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Component.values()).filter(c -> c != off).map(Component::id).toList());
        List<String> kinds = List.of("Service", "ServiceAccount", "PodDisruptionBudget", "NetworkPolicy",
                "ServiceMonitor");
        for (String kind : kinds) {
            assertThat(rendered.ofKind(kind)).as(kind).hasSize(Component.values().length - 1);
        }
    }

    private static String componentOf(ObjectNode document) {
        return document.path("metadata").path("labels").path(Pods.COMPONENT_LABEL).asText();
    }
}
