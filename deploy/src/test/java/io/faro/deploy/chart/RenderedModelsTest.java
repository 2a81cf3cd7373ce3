package io.faro.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every document the chart renders is a Kubernetes object its typed model reads whole: no field it does not know. */
class RenderedModelsTest {

    static List<Variant> variants() {
        return Variant.all();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldRenderOnlyObjectsThatTheirTypedModelsReadWithoutUnknownFields(Variant variant) {
        // given
        List<ObjectNode> documents = variant.rendered().documents();

        // then
        assertThat(documents).isNotEmpty();
        for (ObjectNode document : documents) {
            if (KedaResources.API_VERSION.equals(document.path("apiVersion").asText())) {
                switch (document.path("kind").asText()) {
                    case "ScaledObject" -> KedaResources.checkScaledObject(document);
                    case "TriggerAuthentication" -> KedaResources.checkTriggerAuthentication(document);
                    default -> throw new AssertionError("unexpected KEDA kind in " + StrictModels.describe(document));
                }
            } else {
                assertThat(StrictModels.readTyped(document)).isNotNull();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void shouldNameEveryObjectOnce(Variant variant) {
        // then
        assertThat(variant.rendered().documents().stream()
                .map(d -> StrictModels.key(d) + "/" + d.path("metadata").path("name").asText()))
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldRefuseAFieldTheModelDoesNotDeclare() {
        // given: a Deployment with a misspelt field, which fabric8 alone would keep in additionalProperties
        ObjectNode deployment = Variant.named("default values").rendered().ofKind("Deployment").getFirst().deepCopy();
        ((ObjectNode) deployment.path("spec")).put("replicaz", 3);

        // then
        assertThatThrownBy(() -> StrictModels.read(deployment, Deployment.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("replicaz");
    }

    @Test
    void shouldRefuseAKedaFieldKedaDoesNotDocument() {
        // given
        ObjectNode scaledObject = Variant.named("examples/values-prod.yaml").rendered().scaledObjects().getFirst()
                .deepCopy();
        ((ObjectNode) scaledObject.path("spec")).put("maxReplicas", 3);

        // then
        assertThatThrownBy(() -> KedaResources.checkScaledObject(scaledObject))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("maxReplicas");
    }
}
