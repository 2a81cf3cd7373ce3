package io.faro.bench.data;

import static io.faro.bench.report.Progress.progress;

import io.faro.core.config.FaroConfig;
import io.faro.core.embed.Embedder;
import io.faro.core.model.Chunk;
import io.faro.core.model.EmbeddedChunk;
import io.faro.topology.split.ChunkSplitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The options of a recall benchmark that indexes real text in bulk ({@code --corpus javadoc}), and that corpus:
 * distinct chunks of the JDK's documentation comments ({@link Javadoc}) split by FARO's splitter and embedded by
 * FARO's model, asked by the first sentences of comments of source files left out of the index.
 */
public final class JavadocCorpus {

    private static final long SHUFFLE_SEED = 17;

    /** Where a recall benchmark's text comes from. */
    public enum Source { SQUAD, JAVADOC }

    @Option(names = "--corpus", defaultValue = "squad", description = "squad: the data file's paragraphs, asked by its"
            + " questions; javadoc: the documentation comments of the running JDK's lib/src.zip (about six million"
            + " words), split by FARO's splitter, asked by the first sentences of comments not indexed (default:"
            + " ${DEFAULT-VALUE}).")
    Source corpus;

    @Option(names = "--chunks", defaultValue = "100000", description = "With --corpus javadoc: distinct chunks to"
            + " index, at most what the JDK holds at the configured chunk size (default: ${DEFAULT-VALUE}).")
    int chunks;

    @Option(names = "--queries", defaultValue = "200", description = "With --corpus javadoc: queries, each the first"
            + " sentence of a comment of a source file left out of the index (default: ${DEFAULT-VALUE}).")
    int queryCount;

    /** The chunks indexed, each with the model's vector, the questions asked, and where the text came from. */
    public record Texts(List<EmbeddedChunk> records, List<String> questions, Path sources) {
    }

    public Source source() {
        return corpus;
    }

    /** The running JDK's comments as chunks and questions ({@code --chunks}, {@code --queries}). */
    public Texts read(FaroConfig config, Embedder embedder) {
        Path sources = Javadoc.runningJdkSources();
        progress("reading the documentation comments of %s", sources);
        List<Javadoc.Source> files = Javadoc.read(sources, SHUFFLE_SEED);
        int heldOut = Math.min(queryCount, files.size() / 10);
        List<String> questions = files.subList(0, heldOut).stream()
                .map(file -> file.firstSentences().getFirst()).toList();
        List<Chunk> indexed = distinctChunks(config, files.subList(heldOut, files.size()));
        progress("embedding %d chunks of %s", indexed.size(), sources);
        return new Texts(EmbeddedCorpus.embed(embedder, indexed), questions, sources);
    }

    /** Chunks of the files in order, each text once, until there are {@link #chunks}. */
    private List<Chunk> distinctChunks(FaroConfig config, List<Javadoc.Source> files) {
        ChunkSplitter splitter = new ChunkSplitter(config.chunkSizeTokens(), config.chunkOverlapTokens());
        Set<String> seen = new HashSet<>();
        List<Chunk> picked = new ArrayList<>();
        for (Javadoc.Source file : files) {
            for (Chunk chunk : splitter.split(file.document(), 0)) {
                if (picked.size() < chunks && seen.add(chunk.contextText())) {
                    picked.add(chunk);
                }
            }
            if (picked.size() == chunks) {
                return picked;
            }
        }
        progress("the JDK's comments hold %d distinct chunks at %d tokens, fewer than the %d asked for", picked.size(),
                config.chunkSizeTokens(), chunks);
        return picked;
    }
}
