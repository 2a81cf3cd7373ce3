// Embeds distinct chunks of real text with FARO's splitter and local model and writes their vectors, in an order
// shuffled by a fixed seed (so that any prefix is a sample of the whole), as a PostgreSQL binary COPY file for a
// table (id bigint, embedding vector(384)), the format gen-vectors.py writes.
//
// usage (from the repository root, after ./faro bench built the bench module):
//   FARO_CHUNK_SIZE_TOKENS=64 FARO_CHUNK_OVERLAP_TOKENS=0 java \
//     -cp "bench/target/classes:$(cat bench/target/runtime-classpath.txt)" \
//     bench/results/experiments/issue17-real-vectors/EmbedRealText.java N OUT.copy [DIR_OF_RST_GZ]
// Text: the documentation comments of the running JDK's sources (FARO's Javadoc corpus), and, when DIR is given,
// every *.rst.gz under it (the Linux kernel's documentation, from Debian's linux-doc-6.1 package).
import io.faro.bench.data.Javadoc;
import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.model.Chunk;
import io.faro.core.model.Document;
import io.faro.embedders.onnx.OnnxEmbedder;
import io.faro.topology.split.ChunkSplitter;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

public class EmbedRealText {

    public static void main(String[] args) throws Exception {
        int wanted = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        FaroConfig config = FaroConfig.fromEnv();
        List<Document> documents = new ArrayList<>();
        Javadoc.read(Javadoc.runningJdkSources(), 17).forEach(source -> documents.add(source.document()));
        if (args.length > 2) {
            try (Stream<Path> files = Files.walk(Path.of(args[2]))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".rst.gz")).sorted().toList()) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        String name = Path.of(args[2]).relativize(file).toString();
                        documents.add(new Document("linux-" + name, name, text, Map.of()));
                    }
                }
            }
        }
        ChunkSplitter splitter = new ChunkSplitter(config.chunkSizeTokens(), config.chunkOverlapTokens());
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (Document document : documents) {
            for (Chunk chunk : splitter.split(document, 0)) {
                distinct.add(chunk.contextText());
            }
        }
        List<String> texts = new ArrayList<>(distinct);
        Collections.shuffle(texts, new Random(23));
        System.out.printf("%d documents, %d distinct chunks of %d tokens; embedding %d%n", documents.size(),
                texts.size(), config.chunkSizeTokens(), Math.min(wanted, texts.size()));
        texts = texts.subList(0, Math.min(wanted, texts.size()));
        Embedder embedder = OnnxEmbedder.create(config.embedding().localModel());
        long start = System.nanoTime();
        try (DataOutputStream copy = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(out.toFile()),
                1 << 20))) {
            copy.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
            copy.writeInt(0);
            copy.writeInt(0);
            for (int from = 0; from < texts.size(); from += 32) {
                List<float[]> vectors = embedder.embedAll(texts.subList(from, Math.min(from + 32, texts.size())));
                for (int i = 0; i < vectors.size(); i++) {
                    float[] vector = vectors.get(i);
                    copy.writeShort(2);
                    copy.writeInt(8);
                    copy.writeLong(from + i + 1);
                    copy.writeInt(4 + 4 * vector.length);
                    copy.writeShort(vector.length);
                    copy.writeShort(0);
                    for (float value : vector) {
                        copy.writeFloat(value);
                    }
                }
                if ((from / 32) % 300 == 0) {
                    System.out.printf("%d embedded, %.0f a second%n", from + vectors.size(),
                            (from + vectors.size()) / ((System.nanoTime() - start) / 1e9));
                }
            }
            copy.writeShort(-1);
        }
        System.out.printf("%d vectors in %.0f s%n", texts.size(), (System.nanoTime() - start) / 1e9);
    }
}
