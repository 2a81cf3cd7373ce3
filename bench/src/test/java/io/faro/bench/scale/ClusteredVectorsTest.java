package io.faro.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.faro.bench.data.NearVectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClusteredVectorsTest {

    private static final int DIMENSION = 384;

    @Test
    void shouldDrawTheSameUnitVectorsForTheSameSeedEachNearOneOfManyCentres() {
        ClusteredVectors clusters = new ClusteredVectors(DIMENSION);
        ClusteredVectors madeAgain = new ClusteredVectors(DIMENSION);
        SplittableRandom random = new SplittableRandom(1);
        SplittableRandom sameSeed = new SplittableRandom(1);
        List<float[]> centres = Arrays.stream(clusters.centres).map(c -> NearVectors.normalize(c.clone())).toList();

        List<float[]> drawn = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            float[] vector = clusters.next(random);
            assertThat(madeAgain.next(sameSeed)).containsExactly(vector);
            assertThat(Math.sqrt(dot(vector, vector))).isCloseTo(1.0, within(1e-5));
            // noise 0.6 times as wide as a centre: about 0.86 from its own centre
            assertThat(centres.stream().mapToDouble(c -> cosine(c, vector)).max().orElseThrow()).isGreaterThan(0.8);
            drawn.add(vector);
        }
        // vectors of different centres are about orthogonal: they do not crowd around a few points
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < drawn.size(); i++) {
            for (int j = i + 1; j < drawn.size(); j++) {
                sum += cosine(drawn.get(i), drawn.get(j));
                pairs++;
            }
        }
        assertThat(sum / pairs).isLessThan(0.1);
    }

    @Test
    void shouldDrawTheRecallQuestionsFromTheSameCentresButNotAsTheChunksAre() {
        ClusteredVectors clusters = new ClusteredVectors(DIMENSION);
        List<float[]> centres = Arrays.stream(clusters.centres).map(c -> NearVectors.normalize(c.clone())).toList();
        // draws seeded as the publication's random numbers are (17), from which the chunks' vectors come
        SplittableRandom chunks = new SplittableRandom(17);
        List<float[]> firstChunks = List.of(clusters.next(chunks), clusters.next(chunks), clusters.next(chunks));

        List<float[]> queries = clusters.queries(3);

        assertThat(new ClusteredVectors(DIMENSION).queries(3)).usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(queries);
        for (float[] query : queries) {
            assertThat(centres.stream().mapToDouble(c -> cosine(c, query)).max().orElseThrow()).isGreaterThan(0.8);
            assertThat(firstChunks).noneMatch(chunk -> Arrays.equals(chunk, query));
        }
    }

    private static double dot(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    private static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }
}
