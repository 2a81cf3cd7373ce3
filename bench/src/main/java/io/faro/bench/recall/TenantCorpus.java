package io.faro.bench.recall;

import io.faro.core.access.AccessScope;
import io.faro.core.access.DocumentKey;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Many distinct chunks made from a few real ones: each record copies a real chunk's text and vector, jittered
 * (Gaussian noise per dimension, then normalised), and belongs to one of the small tenants with that tenant's
 * probability, to the default tenant otherwise. Seeded, so every run indexes the same vectors. With no noise
 * and as many records as real chunks, each real chunk is indexed once, as it is.
 */
record TenantCorpus(List<EmbeddedChunk> records, Map<String, Integer> tenantCounts) {

    /** {@code shares}: tenant name to the share of the records it holds (the rest go to the default tenant). */
    static TenantCorpus of(List<EmbeddedChunk> real, int count, Map<String, Double> shares, double noise, long seed) {
        Random random = new Random(seed);
        List<EmbeddedChunk> records = new ArrayList<>(count);
        Map<String, Integer> counts = new LinkedHashMap<>();
        shares.keySet().forEach(tenant -> counts.put(tenant, 0));
        for (int i = 0; i < count; i++) {
            EmbeddedChunk source = real.get(i % real.size());
            String tenant = tenantOf(random.nextDouble(), shares);
            counts.computeIfPresent(tenant, (t, n) -> n + 1);
            String key = DocumentKey.of(tenant, "v" + i);
            Chunk chunk = new Chunk(Chunk.idOf(key, 0), key, 0, 0, source.chunk().title(), source.chunk().text(),
                    Map.of());
            records.add(new EmbeddedChunk(chunk, source.model(), source.dimension(),
                    jitter(source.vector(), noise, random)));
        }
        return new TenantCorpus(List.copyOf(records), counts);
    }

    private static String tenantOf(double draw, Map<String, Double> shares) {
        double upTo = 0;
        for (Map.Entry<String, Double> share : shares.entrySet()) {
            upTo += share.getValue();
            if (draw < upTo) {
                return share.getKey();
            }
        }
        return AccessScope.DEFAULT_TENANT;
    }

    private static float[] jitter(float[] vector, double noise, Random random) {
        float[] out = new float[vector.length];
        double norm = 0;
        for (int d = 0; d < vector.length; d++) {
            out[d] = (float) (vector[d] + noise * random.nextGaussian());
            norm += out[d] * out[d];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < out.length; d++) {
            out[d] *= scale;
        }
        return out;
    }
}
