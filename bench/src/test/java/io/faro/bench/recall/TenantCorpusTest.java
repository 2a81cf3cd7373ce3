package io.faro.bench.recall;

import static org.assertj.core.api.Assertions.assertThat;

import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class TenantCorpusTest {

    private static final Map<String, Double> SHARES = new LinkedHashMap<>(Map.of("small", 0.1));

    @Test
    void shouldIndexEachRealChunkOnceAsItIsWithoutNoise() {
        List<EmbeddedChunk> real = IntStream.range(0, 500).mapToObj(TenantCorpusTest::chunk).toList();

        TenantCorpus corpus = TenantCorpus.of(real, real.size(), SHARES, 0, 42L);

        assertThat(corpus.records()).hasSize(real.size());
        for (int i = 0; i < real.size(); i++) {
            assertThat(corpus.records().get(i).chunk().text()).isEqualTo(real.get(i).chunk().text());
            assertThat(corpus.records().get(i).vector()).containsExactly(real.get(i).vector());
        }
        assertThat(corpus.records().stream().map(r -> r.chunk().chunkId()).distinct()).hasSize(real.size());
        long small = corpus.records().stream()
                .filter(r -> DocumentKey.tenantOf(r.chunk().docId()).equals("small")).count();
        assertThat(corpus.tenantCounts()).containsExactly(Map.entry("small", (int) small));
        assertThat(small).isBetween(25L, 75L); // about a tenth of 500
        assertThat(corpus.records()).anyMatch(r -> DocumentKey.tenantOf(r.chunk().docId())
                .equals(AccessScope.DEFAULT_TENANT));
    }

    @Test
    void shouldMakeDistinctUnitVectorsFromFewChunksWithNoise() {
        List<EmbeddedChunk> real = List.of(chunk(0), chunk(1));

        TenantCorpus corpus = TenantCorpus.of(real, 50, SHARES, 0.02, 42L);

        assertThat(corpus.records()).hasSize(50);
        assertThat(corpus.records().stream().map(r -> Arrays.toString(r.vector())).distinct()).hasSize(50);
        corpus.records().forEach(r -> assertThat(norm(r.vector())).isCloseTo(1.0, Offset.offset(1e-5)));
    }

    private static EmbeddedChunk chunk(int i) {
        float[] vector = new float[4];
        vector[i % 4] = 1;
        return new EmbeddedChunk(new Chunk(Chunk.idOf("doc-" + i, 0), "doc-" + i, 0, 0, "t", "text " + i, Map.of()),
                "m", 4, vector);
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float x : vector) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
