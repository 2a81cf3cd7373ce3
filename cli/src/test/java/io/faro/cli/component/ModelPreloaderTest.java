package io.faro.cli.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.faro.core.embed.Embedder;
import io.faro.core.embed.Embedders;
import io.faro.core.testing.InMemoryVectorStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ModelPreloaderTest {

    /** An embedder that only says which model it is. */
    private static Embedder named(String model) {
        return new Embedder() {
            @Override
            public String model() {
                return model;
            }

            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public List<float[]> embedAll(List<String> passages) {
                return passages.stream().map(p -> new float[] {1, 0}).toList();
            }

            @Override
            public float[] embedQuery(String query) {
                return new float[] {1, 0};
            }
        };
    }

    @Test
    void shouldLoadTheModelAStoreWasSwitchedToBeforeAQuestionNeedsIt() {
        Set<String> loaded = ConcurrentHashMap.newKeySet();
        Embedders embedders = new Embedders(model -> {
            loaded.add(model);
            return named(model);
        });
        InMemoryVectorStore store = new InMemoryVectorStore("pgvector");
        store.switchModel("all-minilm-l6-v2");

        try (ModelPreloader preloader = new ModelPreloader(List.of(store), embedders, Duration.ofMillis(50))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> loaded.contains("all-minilm-l6-v2"));
            store.switchModel("openai:text-embedding-3-small");
            await().atMost(Duration.ofSeconds(5)).until(() -> loaded.contains("openai:text-embedding-3-small"));
        }
        assertThat(loaded).containsExactlyInAnyOrder("all-minilm-l6-v2", "openai:text-embedding-3-small");
    }
}
