package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.faro.core.Component;
import io.faro.core.kafka.KafkaIds;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's KEDA triggers name the consumer groups and topics FARO uses (KafkaIds), not copies that drift. */
class KafkaIdsCrossCheckTest {

    private static final Map<String, String> EVERY_AUTOSCALER = Map.of("ingest.autoscaling.enabled", "true",
            "sink-pgvector.autoscaling.enabled", "true", "sink-qdrant.autoscaling.enabled", "true",
            "gateway.autoscaling.enabled", "true");

    @Test
    void shouldScaleEachComponentOnTheLagOfItsOwnConsumerGroupOnItsInputTopic() {
        // given
        Rendered rendered = FaroChart.render(EVERY_AUTOSCALER);

        // then
        assertThat(rendered.scaledObjects()).isNotEmpty();
        for (ObjectNode scaledObject : rendered.scaledObjects()) {
            Component component = Component.parse(scaledObject.at("/metadata/labels").path(Pods.COMPONENT_LABEL)
                    .asText());
            JsonNode metadata = scaledObject.at("/spec/triggers/0/metadata");
            KafkaIds.Access access = KafkaIds.of(component);
            assertThat(access.groups()).as("the consumer group of %s", component.id())
                    .containsExactly(metadata.path("consumerGroup").asText());
            assertThat(access.reads()).as("the topic %s reads", component.id())
                    .containsExactly(metadata.path("topic").asText());
        }
    }

    @Test
    void shouldScaleOnLagEveryComponentWithAConsumerGroupAndOnCpuTheOthers() {
        // given
        Rendered rendered = FaroChart.render(EVERY_AUTOSCALER);

        // then
        assertThat(rendered.scaledObjects()).map(s -> s.at("/metadata/labels").path(Pods.COMPONENT_LABEL).asText())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Component.values())
                        .filter(c -> !KafkaIds.of(c).groups().isEmpty()).map(Component::id).toList());
        assertThat(rendered.horizontalPodAutoscalers()).map(h -> h.getMetadata().getLabels().get(Pods.COMPONENT_LABEL))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Component.values())
                        .filter(c -> KafkaIds.of(c).groups().isEmpty()).map(Component::id).toList());
    }
}
