package io.faro.embedders.onnx;

import io.faro.core.embed.Embedder;
import io.faro.core.embed.EmbeddingException;
import io.faro.core.embed.EmbeddingModelName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEmbedderTest {

    private static final String GOLDEN_TEXT = "FARO keeps a vector index in step with documents.";

    /** First values of all-minilm-l6-v2's vector for {@link #GOLDEN_TEXT}, recorded from the model. */
    private static final float[] GOLDEN_PREFIX = {-0.027953757f, 0.08998995f, -0.058805916f, 0.07803446f, 0.14767444f};

    private static OnnxEmbedder embedder;

    @BeforeAll
    static void loadModel() {
        embedder = OnnxEmbedder.create(EmbeddingModelName.ALL_MINILM_L6_V2);
    }

    @Test
    void shouldReportModelIdAndDimension384() {
        // given the all-minilm-l6-v2 embedder
        // when
        int dimension = embedder.dimension();
        String model = embedder.model();

        // then
        assertThat(dimension).isEqualTo(384);
        assertThat(model).isEqualTo("all-minilm-l6-v2");
    }

    @Test
    void shouldProduceTheGoldenUnitLengthVectorForAFixedText() {
        // given
        List<String> texts = List.of(GOLDEN_TEXT);

        // when
        float[] vector = embedder.embedAll(texts).getFirst();

        // then
        assertThat(vector).hasSize(384);
        assertThat(norm(vector)).isCloseTo(1.0, within(1e-3));
        for (int i = 0; i < GOLDEN_PREFIX.length; i++) {
            assertThat(vector[i]).as("value %d", i).isCloseTo(GOLDEN_PREFIX[i], within(1e-4f));
        }
    }

    @Test
    void shouldKeepOrderAndCountOfTexts() {
        // given three texts about different topics, each with a paraphrase
        List<String> texts = List.of(
                "The cat sat on the warm windowsill and purred.",
                "Interest rates were raised by the central bank to fight inflation.",
                "The football team won the championship after extra time.");
        List<String> paraphrases = List.of(
                "A kitten was lying in the sun by the window, purring.",
                "The central bank increased borrowing costs to curb rising prices.",
                "The soccer club clinched the title in overtime.");

        // when
        List<float[]> vectors = embedder.embedAll(texts);
        List<float[]> paraphraseVectors = embedder.embedAll(paraphrases);

        // then one vector per text, each equal to the text embedded alone, in order
        assertThat(vectors).hasSize(3);
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = embedder.embedAll(List.of(texts.get(i))).getFirst();
            assertThat(cosine(vectors.get(i), alone)).as("text %d vs itself alone", i).isCloseTo(1.0, within(1e-4));
        }
        // and each paraphrase is closest to the text of its own topic
        for (int i = 0; i < texts.size(); i++) {
            for (int j = 0; j < texts.size(); j++) {
                if (i != j) {
                    assertThat(cosine(paraphraseVectors.get(i), vectors.get(i)))
                            .as("paraphrase %d closer to text %d than to text %d", i, i, j)
                            .isGreaterThan(cosine(paraphraseVectors.get(i), vectors.get(j)));
                }
            }
        }
    }

    @Test
    void shouldReturnEmptyListForNoTexts() {
        // given
        List<String> none = List.of();

        // when
        List<float[]> vectors = embedder.embedAll(none);

        // then
        assertThat(vectors).isEmpty();
    }

    @Test
    void shouldEmbedQueryWithoutPrefixForAllMiniLm() {
        // given
        String query = "how does FARO keep the index fresh?";

        // when
        float[] queryVector = embedder.embedQuery(query);
        float[] passageVector = embedder.embedAll(List.of(query)).getFirst();

        // then
        assertThat(EmbeddingModelName.ALL_MINILM_L6_V2.queryPrefix()).isEmpty();
        assertThat(queryVector).containsExactly(passageVector, within(1e-6f));
    }

    @Test
    void shouldEmbedTheSameVectorsWithAnyThreadSetting() {
        // given LangChain4j's own thread setting: one text per core, the ONNX runtime's default intra-op threads
        List<String> texts = List.of(GOLDEN_TEXT, "Kafka keeps the embeddings topic compacted.", "A third text.");
        try (OnnxEmbedder langChainDefaults = OnnxEmbedder.create(EmbeddingModelName.ALL_MINILM_L6_V2,
                Runtime.getRuntime().availableProcessors(), 0)) {

            // when both embed the same texts
            List<float[]> expected = langChainDefaults.embedAll(texts);
            List<float[]> actual = embedder.embedAll(texts);

            // then FARO's setting changes the speed, not the vectors
            for (int i = 0; i < texts.size(); i++) {
                assertThat(actual.get(i)).as("text %d", i).containsExactly(expected.get(i), within(1e-5f));
            }
        }
    }

    @Test
    void shouldEmbedABatchAsynchronouslyWithTheSameVectorsInOrder() {
        // given
        List<String> texts = List.of(GOLDEN_TEXT, "Kafka keeps the embeddings topic compacted.", "A third text.");

        // when the ingest sends them as one batch and goes on meanwhile
        List<Embedder.Outcome> outcomes = embedder.embedAsync(texts).join();

        // then each text has its vector, in order, as a blocking call gives it; and a second batch may be under way
        List<float[]> expected = embedder.embedAll(texts);
        assertThat(outcomes).hasSize(texts.size()).noneMatch(Embedder.Outcome::isRefused);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(outcomes.get(i).vector()).as("text %d", i).containsExactly(expected.get(i), within(1e-6f));
        }
        assertThat(embedder.batchesInFlight()).isGreaterThan(1);
    }

    @Test
    void shouldRefuseWorkOnceClosed() {
        // given an embedder that was closed
        OnnxEmbedder closed = OnnxEmbedder.create(EmbeddingModelName.ALL_MINILM_L6_V2, 1, 1);
        closed.close();

        // when it is asked to embed, then it fails with the model's name instead of hanging
        assertThatThrownBy(() -> closed.embedQuery("anything"))
                .isInstanceOf(EmbeddingException.class)
                .hasMessageContaining("all-minilm-l6-v2");
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float f : v) {
            sum += (double) f * f;
        }
        return Math.sqrt(sum);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }
}
