package io.faro.bench.scale;

import io.faro.bench.data.NearVectors;
import io.faro.core.json.JsonSerde;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.core.topic.Topics;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes synthetic embedding records to {@code faro.embeddings} as the ingest topology would: documents
 * of {@code chunksPerDocument} chunks, each with a real paragraph's text (so records have realistic sizes) and a
 * vector from a {@link VectorSource}; then a share of the documents published again (every chunk superseded at the
 * next version) and a share deleted (a tombstone per chunk). Seeded, so every run writes the same records.
 */
final class SyntheticEmbeddings {

    /** Shares of the documents superseded and deleted after the first write. */
    static final double SUPERSEDED = 0.03;
    static final double DELETED = 0.02;

    /** What was written. */
    record Written(long chunks, long records, long live) {
    }

    private SyntheticEmbeddings() {
    }

    /** The vector of a chunk of this text, drawn with the publication's own seeded random numbers. */
    @FunctionalInterface
    interface VectorSource {
        float[] vector(String text, SplittableRandom random);

        /** Each vector near the real model's vector of the chunk's text ({@link NearVectors}). */
        static VectorSource nearTexts(NearVectors near, int dimension) {
            return (text, random) -> near.near(text, unitVector(random, dimension));
        }

        /** Vectors in clusters of their own, whatever the text ({@link ClusteredVectors}). */
        static VectorSource clusters(ClusteredVectors clusters) {
            return (text, random) -> clusters.next(random);
        }
    }

    static Written publish(String bootstrap, int chunks, int chunksPerDocument, String model, int dimension,
                           List<String> texts, VectorSource vectors) {
        var serializer = JsonSerde.of(EmbeddedChunk.class).serializer();
        SplittableRandom random = new SplittableRandom(17);
        int documents = Math.ceilDiv(chunks, chunksPerDocument);
        long records = 0;
        long deletedChunks = 0;
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024), new StringSerializer(), new ByteArraySerializer())) {
            for (int pass = 0; pass < 2; pass++) {
                for (int d = 0; d < documents; d++) {
                    double fate = (d * 0.6180339887) % 1.0; // spread evenly over the documents
                    boolean superseded = fate < SUPERSEDED;
                    boolean deleted = !superseded && fate < SUPERSEDED + DELETED;
                    if (pass == 1 && !superseded && !deleted) {
                        continue;
                    }
                    String docId = "scale-" + d;
                    int inDoc = Math.min(chunksPerDocument, chunks - d * chunksPerDocument);
                    for (int i = 0; i < inDoc; i++) {
                        String chunkId = Chunk.idOf(docId, i);
                        byte[] value = null;
                        if (pass == 0 || superseded) {
                            String text = texts.get(random.nextInt(texts.size()));
                            Chunk chunk = new Chunk(chunkId, docId, pass + 1L, i, "Synthetic " + d, text,
                                    Map.of("bench", "scale"));
                            EmbeddedChunk embedded = new EmbeddedChunk(chunk, model, dimension,
                                    vectors.vector(text, random));
                            value = serializer.serialize(Topics.EMBEDDINGS.name(), embedded);
                        } else {
                            deletedChunks++;
                        }
                        producer.send(new ProducerRecord<>(Topics.EMBEDDINGS.name(), chunkId, value), (meta, e) -> {
                            if (e != null) {
                                failed.compareAndSet(null, e);
                            }
                        });
                        records++;
                    }
                }
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("publishing embeddings failed: " + failed.get().getMessage(), failed.get());
        }
        return new Written(chunks, records, chunks - deletedChunks);
    }

    private static float[] unitVector(SplittableRandom random, int dimension) {
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return NearVectors.normalize(vector);
    }
}
